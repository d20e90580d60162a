package dev.udsboot.integration;

import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import dev.udsboot.invocation.UdsHeaders;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.socket.PeerCredentials;

/**
 * The headers of a message an inbound endpoint sends into a flow: the listener's name and the
 * caller's credentials as plain values ({@code uds_peer_pid} and so on), so that a broker's header
 * mapping carries them on; the received descriptors ({@link UdsHeaders#FILE_DESCRIPTORS}) for the
 * synchronous part of the flow. The starter's own objects (the peer, the charset) stay out.
 */
public final class UdsIntegrationHeaders {

	/** The listener that received the message: {@value}. */
	public static final String LISTENER = UdsHeaders.LISTENER;

	/** The caller's process id, where the kernel says (stream listeners): {@value}. */
	public static final String PEER_PID = "uds_peer_pid";

	/** The caller's user id: {@value}. */
	public static final String PEER_UID = "uds_peer_uid";

	/** The caller's group id: {@value}. */
	public static final String PEER_GID = "uds_peer_gid";

	/** The caller's groups, a {@code List<Long>}: {@value}. */
	public static final String PEER_GIDS = "uds_peer_gids";

	private UdsIntegrationHeaders() {
	}

	/**
	 * Makes the message a flow receives of one a listener received.
	 * @param received the listener's message, with the starter's headers
	 * @return the payload with plain headers
	 */
	static Message<byte[]> toFlow(Message<byte[]> received) {
		MessageBuilder<byte[]> builder = MessageBuilder.withPayload(received.getPayload());
		for (Map.Entry<String, Object> header : received.getHeaders().entrySet()) {
			String name = header.getKey();
			if (!name.equals(UdsHeaders.PEER) && !name.equals(UdsHeaders.CHARSET) && !name.equals(MessageHeaders.ID)
					&& !name.equals(MessageHeaders.TIMESTAMP)) {
				builder.setHeader(name, header.getValue());
			}
		}
		if (received.getHeaders().get(UdsHeaders.PEER) instanceof UdsPeer peer) {
			PeerCredentials credentials = peer.peerCredentials();
			if (credentials != null) {
				builder.setHeader(PEER_PID, credentials.pid())
					.setHeader(PEER_UID, credentials.uid())
					.setHeader(PEER_GID, credentials.gid())
					.setHeader(PEER_GIDS, credentials.gids());
			}
		}
		return builder.build();
	}

}
