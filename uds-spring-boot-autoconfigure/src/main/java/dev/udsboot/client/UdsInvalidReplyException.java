package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the bytes that came back are not a valid reply in the template's framing, or carry more descriptors than allowed.
 */
public class UdsInvalidReplyException extends UdsClientException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsInvalidReplyException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
