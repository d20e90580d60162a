package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the server's socket file does not exist: the server is not running, or the path is wrong.
 */
public class UdsSocketNotFoundException extends UdsConnectException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsSocketNotFoundException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
