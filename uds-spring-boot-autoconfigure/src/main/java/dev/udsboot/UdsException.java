package dev.udsboot;

/**
 * Root of every exception this starter throws, so callers can catch the whole family at once.
 */
public class UdsException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with a message.
	 * @param message what went wrong, naming the listener, property or path involved
	 */
	public UdsException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a message and a cause.
	 * @param message what went wrong, naming the listener, property or path involved
	 * @param cause the underlying failure
	 */
	public UdsException(String message, Throwable cause) {
		super(message, cause);
	}

}
