package dev.udsboot.framing;

import dev.udsboot.UdsException;

/**
 * Thrown when a reply cannot be framed: it contains its framing's terminator (a line feed in a
 * {@code line} reply, say), so the client would read it as more than one message and every later
 * reply on the connection would answer the wrong request.
 */
public class InvalidReplyException extends UdsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what the reply contains and why it cannot be sent
	 */
	public InvalidReplyException(String message) {
		super(message);
	}

}
