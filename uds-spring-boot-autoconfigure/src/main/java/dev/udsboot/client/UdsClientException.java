package dev.udsboot.client;

import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsException;

/**
 * Root of the failures of a {@link UdsTemplate} exchange. Whatever the subclass, the connection
 * it happened on has been closed, never returned to the pool.
 */
public class UdsClientException extends UdsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened, naming the address
	 * @param cause the underlying failure, if any
	 */
	public UdsClientException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
