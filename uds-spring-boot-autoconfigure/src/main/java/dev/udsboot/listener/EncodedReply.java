package dev.udsboot.listener;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.exception.UdsInvalidRequestException;

/**
 * A reply as a container sends it: the payload's bytes, and the file descriptors that travel with
 * them (SCM_RIGHTS). Every reply takes this one path: a {@link UdsMessageListener} returns it, and
 * the container sends it on the connection or to the datagram's sender, in order with the
 * messages before it. The descriptors stay the sender's: the container does not close them.
 *
 * @param payload the reply's bytes, framed by the container on a stream
 * @param descriptors the descriptors sent with the payload's first bytes, possibly none
 */
public record EncodedReply(byte[] payload, List<FileDescriptor> descriptors) {

	/**
	 * Creates a reply; {@code descriptors} is copied.
	 * @param payload the reply's bytes
	 * @param descriptors the descriptors to send with them
	 */
	public EncodedReply {
		descriptors = List.copyOf(descriptors);
	}

	/**
	 * Creates a reply without descriptors.
	 * @param payload the reply's bytes
	 * @return the reply
	 */
	public static EncodedReply of(byte[] payload) {
		return new EncodedReply(payload, List.of());
	}

	/**
	 * Returns the reply an error handler decided on for a client's mistake.
	 * @param mistake the invalid request, carrying the error handler's decision
	 * @return the reply with its descriptors, or {@code null} if none is to be sent
	 */
	public static @Nullable EncodedReply answering(UdsInvalidRequestException mistake) {
		byte[] payload = mistake.getReply();
		return (payload != null) ? new EncodedReply(payload, mistake.getReplyDescriptors()) : null;
	}

	/**
	 * Sends this reply to a peer.
	 * @param peer the connection, or the datagram's sender
	 */
	public void sendTo(UdsPeer peer) {
		peer.send(this.payload, this.descriptors);
	}

}
