package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when connecting, sending or waiting for a reply took longer than the template's timeout.
 */
public class UdsClientTimeoutException extends UdsClientException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsClientTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
