package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the server closed the connection before a whole reply arrived: before replying at all, or in the middle of a reply.
 */
public class UdsConnectionClosedException extends UdsClientException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsConnectionClosedException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
