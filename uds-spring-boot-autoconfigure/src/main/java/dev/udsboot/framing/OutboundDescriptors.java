package dev.udsboot.framing;

import java.io.FileDescriptor;
import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * The socket side of sending file descriptors: sets the descriptors that travel with the next
 * bytes written on a connection, as junixsocket's {@code setOutboundFileDescriptors} does. Framing
 * calls it just before a frame's first byte and again, with {@code null}, once the frame is written,
 * so it writes bytes and knows nothing of the socket library.
 */
@FunctionalInterface
public interface OutboundDescriptors {

	/**
	 * Sets the descriptors sent with the next write, replacing any set before.
	 * @param descriptors the descriptors, or {@code null} to send none
	 * @throws IOException if the socket refuses them
	 */
	void set(FileDescriptor @Nullable [] descriptors) throws IOException;

}
