package dev.udsboot.listener;

import org.jspecify.annotations.Nullable;

/**
 * What a container calls for each received message: the bridge from raw frames to handler
 * methods.
 */
@FunctionalInterface
public interface UdsMessageListener {

	/**
	 * Handles one message.
	 * @param payload the frame's payload
	 * @param session the connection it arrived on
	 * @return the reply payload, or {@code null} for no reply
	 * @throws dev.udsboot.listener.exception.UdsListenerExecutionFailedException if the handler
	 * failed and the connection must be closed
	 */
	byte @Nullable [] onMessage(byte[] payload, UdsSession session);

}
