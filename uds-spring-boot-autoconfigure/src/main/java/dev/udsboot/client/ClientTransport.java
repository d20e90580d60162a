package dev.udsboot.client;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.client.StreamClientConnection.Reply;

/**
 * Moves a {@link UdsTemplate}'s bytes: over stream connections or as datagrams. Thread-safe.
 */
interface ClientTransport extends AutoCloseable {

	/**
	 * Sends one message and, if asked, waits for its reply.
	 * @param payload the message
	 * @param descriptors descriptors to pass with it; the caller keeps them
	 * @param awaitReply whether a reply is read
	 * @return the reply, whose descriptors the caller owns; {@code null} if none was awaited
	 * @throws UdsClientException if it fails
	 */
	@Nullable Reply exchange(byte[] payload, List<FileDescriptor> descriptors, boolean awaitReply);

	@Override
	void close();

}
