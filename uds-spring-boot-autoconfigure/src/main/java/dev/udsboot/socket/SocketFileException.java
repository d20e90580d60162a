package dev.udsboot.socket;

import dev.udsboot.UdsException;

/**
 * Thrown when a socket file cannot be bound or is in a state the starter refuses to touch (a live
 * socket of another process, a regular file, a directory, a missing parent directory).
 */
public class SocketFileException extends UdsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what was found at the path and why it was refused
	 */
	public SocketFileException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with a cause.
	 * @param message what was found at the path and why it was refused
	 * @param cause the underlying failure
	 */
	public SocketFileException(String message, Throwable cause) {
		super(message, cause);
	}

}
