package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the address exists but nothing accepts on it: a socket file left behind by a server that is gone, an abstract name nobody holds, or a listener whose backlog is full or that refused the connection.
 */
public class UdsConnectionRefusedException extends UdsConnectException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsConnectionRefusedException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
