package dev.udsboot.listener.api;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

import dev.udsboot.listener.exception.UdsErrorReplyException;
import dev.udsboot.listener.exception.UdsInvalidRequestException;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;

/**
 * The error handling used when no other is configured: a payload that cannot be converted (the
 * client's mistake, {@link UdsInvalidRequestException}) is answered with an error reply
 * ({@link UdsErrorReplies}) and the connection kept; a handler that threw
 * {@link UdsErrorReplyException} gets its reply sent and the connection kept; any other failure
 * closes the connection, so the client sees end of stream instead of waiting for a reply that will
 * not come.
 */
public class DefaultUdsListenerErrorHandler implements UdsListenerErrorHandler {

	/** The shared instance. */
	public static final DefaultUdsListenerErrorHandler INSTANCE = new DefaultUdsListenerErrorHandler();

	@Override
	public @Nullable Object handleError(Message<?> message, UdsListenerExecutionFailedException exception) {
		if (exception instanceof UdsInvalidRequestException invalid) {
			return UdsErrorReplies.of(UdsErrorReplies.INVALID_PAYLOAD, invalid.getClientMessage());
		}
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof UdsErrorReplyException errorReply) {
				return errorReply.getReply();
			}
		}
		throw exception;
	}

}
