package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a reply is larger than the template's max-message-size; it is not read further.
 */
public class UdsReplyTooLargeException extends UdsInvalidReplyException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsReplyTooLargeException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
