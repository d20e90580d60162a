package dev.udsboot.client;

import java.io.FileDescriptor;
import java.util.List;

import dev.udsboot.socket.ReceivedDescriptors;

/**
 * A reply with the descriptors that came with it. The caller owns the descriptors: close the
 * response (or each descriptor) when done with them.
 *
 * @param <T> the payload type
 * @param payload the converted reply
 * @param descriptors the descriptors received with the reply, in arrival order, possibly none
 */
public record UdsResponse<T>(T payload, List<FileDescriptor> descriptors) implements AutoCloseable {

	/**
	 * Closes every descriptor still open; closing one twice does nothing.
	 */
	@Override
	public void close() {
		ReceivedDescriptors.close(this.descriptors);
	}

}
