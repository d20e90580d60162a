package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when no connection could be made to the server's socket (the datagram could not be sent): see the subclasses for the two usual reasons.
 */
public class UdsConnectException extends UdsClientException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsConnectException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
