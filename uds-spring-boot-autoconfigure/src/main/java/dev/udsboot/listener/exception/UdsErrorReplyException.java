package dev.udsboot.listener.exception;

import dev.udsboot.UdsException;

/**
 * Thrown by a handler to answer with an error reply and keep the connection open (the default
 * error handler closes the connection for any other exception). The reply is converted like a
 * handler's return value.
 */
public class UdsErrorReplyException extends UdsException {

	private static final long serialVersionUID = 1L;

	private final transient Object reply;

	/**
	 * Creates an exception whose reply is its message.
	 * @param reply the error text sent to the client
	 */
	public UdsErrorReplyException(String reply) {
		this(reply, reply);
	}

	/**
	 * Creates an exception with a reply of any supported type.
	 * @param message for logs
	 * @param reply sent to the client, converted like a return value
	 */
	public UdsErrorReplyException(String message, Object reply) {
		super(message);
		this.reply = reply;
	}

	/**
	 * Returns the reply to send.
	 * @return the reply
	 */
	public Object getReply() {
		return this.reply;
	}

}
