package dev.udsboot.config;

import java.io.FileDescriptor;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsSession;

/**
 * A listener's message handling plus its connection-event handlers. Event handlers are message
 * listeners invoked with an empty payload, so they share argument resolution and reply conversion
 * with message handlers; an opened handler's reply is the greeting. Their failures do not go
 * through the message error handlers: a failing opened handler closes the connection, a failing
 * closed handler is logged.
 */
final class ConnectionEventsMessageListener implements UdsMessageListener {

	private static final Log logger = LogFactory.getLog(ConnectionEventsMessageListener.class);

	private static final byte[] NO_PAYLOAD = new byte[0];

	private final UdsMessageListener messages;

	private final List<UdsMessageListener> opened;

	private final List<UdsMessageListener> closed;

	private final RateLimitedLog closedFailures = new RateLimitedLog(logger, java.time.Duration.ofSeconds(10));

	ConnectionEventsMessageListener(UdsMessageListener messages, List<UdsMessageListener> opened,
			List<UdsMessageListener> closed) {
		this.messages = messages;
		this.opened = List.copyOf(opened);
		this.closed = List.copyOf(closed);
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer) {
		return this.messages.onMessage(payload, peer);
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, List<FileDescriptor> descriptors, UdsPeer peer) {
		return this.messages.onMessage(payload, descriptors, peer);
	}

	@Override
	public boolean acceptsFileDescriptors() {
		return this.messages.acceptsFileDescriptors();
	}

	@Override
	public void onConnectionOpened(UdsSession session) {
		for (UdsMessageListener handler : this.opened) {
			EncodedReply greeting = handler.onMessage(NO_PAYLOAD, session);
			if (greeting != null) {
				greeting.sendTo(session);
			}
		}
	}

	@Override
	public void onConnectionClosed(UdsSession session) {
		for (UdsMessageListener handler : this.closed) {
			try {
				handler.onMessage(NO_PAYLOAD, session);
			}
			catch (RuntimeException ex) {
				this.closedFailures.error((count) -> "Connection-closed handler failed for " + session
						+ ((count > 1) ? " (" + count + " failures since the last line)" : ""), ex);
			}
		}
	}

}
