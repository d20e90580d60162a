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
	 * @param payload the frame's or datagram's payload
	 * @param peer where it came from: the connection, or the datagram's sender
	 * @return the reply, which the container sends, or {@code null} for no reply
	 * @throws dev.udsboot.listener.exception.UdsListenerExecutionFailedException if the handler
	 * failed: a stream connection is closed, a datagram gets no reply
	 */
	@Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer);

	/**
	 * Handles one message that arrived with file descriptors. The container closes the
	 * descriptors after this returns; by default they are ignored.
	 * @param payload the frame's or datagram's payload
	 * @param descriptors the descriptors that arrived with this message, possibly none
	 * @param peer where it came from
	 * @return the reply, which the container sends, or {@code null} for no reply
	 */
	default @Nullable EncodedReply onMessage(byte[] payload, List<FileDescriptor> descriptors, UdsPeer peer) {
		return onMessage(payload, peer);
	}

	/**
	 * Tells whether this listener takes file descriptors. If not, its socket receives none: the
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
