package dev.udsboot.listener;

import java.io.FileDescriptor;
import java.util.List;

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

	/**
	 * Handles one message that arrived with file descriptors. The container closes the
	 * descriptors after this returns; by default they are ignored.
	 * @param payload the frame's payload
	 * @param descriptors the descriptors that arrived with this message, possibly none
	 * @param session the connection it arrived on
	 * @return the reply payload, or {@code null} for no reply
	 */
	default byte @Nullable [] onMessage(byte[] payload, List<FileDescriptor> descriptors, UdsSession session) {
		return onMessage(payload, session);
	}

	/**
	 * Tells whether this listener takes file descriptors. If not, connections receive none: the
	 * kernel closes any a client sends, and reads skip the ancillary-data work.
	 * @return {@code true} to receive descriptors; {@code false} by default
	 */
	default boolean acceptsFileDescriptors() {
		return false;
	}

	/**
	 * Called when a connection opens, before anything is read from it.
	 * @param session the new connection
	 * @throws dev.udsboot.listener.exception.UdsListenerExecutionFailedException to close it
	 */
	default void onConnectionOpened(UdsSession session) {
	}

	/**
	 * Called after a connection has closed.
	 * @param session the closed connection
	 */
	default void onConnectionClosed(UdsSession session) {
	}

}
