package dev.udsboot.listener.stream;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.FrameInputStream;
import dev.udsboot.framing.FrameReader;
import dev.udsboot.framing.FrameRejectedException;
import dev.udsboot.framing.Framing;
import dev.udsboot.framing.InvalidReplyException;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerInterceptor;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.api.UdsErrorReplies;
import dev.udsboot.listener.exception.UdsInvalidRequestException;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;
import dev.udsboot.listener.source.ConnectionSocket;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * The reading side of one accepted connection: lets the interceptor look first, admits the peer
 * (allow-lists), reads frames, hands each to the listener on this thread, sends the reply before
 * reading the next frame (so replies keep request order), and closes the connection when the
 * client goes away, a frame is rejected or a handler fails. What handlers see of the connection is
 * its {@link StreamSession}.
 */
final class StreamConnection implements Runnable {

	static final Log logger = LogFactory.getLog(StreamConnection.class);

	private final long id;

	private final StreamSession session;

	private final StreamListenerContainer container;

	private final FrameCodec codec;

	private final UdsMessageListener listener;

	private final UdsListenerStatistics statistics;

	/** Whether the connection was let in, so its opened and closed handlers run. */
	private boolean opened;

	private final @Nullable ReceivedDescriptors descriptors;


	StreamConnection(long id, ConnectionSocket socket, StreamListenerContainer container) throws IOException {
		this.id = id;
		this.container = container;
		this.codec = container.codec();
		this.listener = container.messageListener();
		this.statistics = container.getStatistics();
		this.session = new StreamSession(id, container.getDefinition().name(), socket, this.codec, this.statistics);
		this.descriptors = this.listener.acceptsFileDescriptors()
				? socket.trackReceivedDescriptors(container.getDefinition().maxFileDescriptors()) : null;
	}

	@Override
	public void run() {
		try {
			FrameInputStream input = this.codec.newInputStream(this.session.socket().getInputStream());
			ReceivedDescriptors tracker = this.descriptors;
			if (tracker != null) {
				input.setReadObserver(tracker::afterRead);
			}
			if (!secured()) {
				return;
			}
			if (isIntercepted(input)) {
				// the starter's own (a health probe), answered by the interceptor; seen by nobody
				return;
			}
			this.statistics.connectionOpened();
			if (!admitted()) {
				return;
			}
			this.opened = true;
			this.listener.onConnectionOpened(this.session);
			FrameReader reader = this.codec.newReader(input);
			byte[] frame;
			while ((frame = reader.next()) != null) {
				List<FileDescriptor> received = (tracker != null) ? tracker.takeConsumed(input.consumed()) : List.of();
				if (!accept(frame, received)) {
					break;
				}
				handle(frame, received);
			}
		}
		catch (UdsInvalidRequestException ex) {
			this.statistics.payloadRejected();
			this.container.invalidPayloads().warn((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": it sent an invalid payload: "
					+ ex.getClientMessage() + sinceLastLine(count));
		}
		catch (UdsListenerExecutionFailedException ex) {
			this.statistics.handlerFailed();
			this.container.handlerFailures().error((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + " after a handler failure: " + ex.getMessage()
					+ sinceLastLine(count), ex.getCause());
		}
		catch (FrameRejectedException ex) {
			this.statistics.frameRejected(ex.reason());
			String answer = answerRejected(ex);
			this.container.rejectedFrames().warn((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": " + ex.getMessage() + answer
					+ sinceLastLine(count));
		}
		catch (SocketTimeoutException ex) {
			this.statistics.idleTimedOut();
			logger.debug("Closing connection " + this.id + " of " + this.container.getDefinition().describe()
					+ ": idle for " + this.container.getDefinition().idleTimeout());
		}
		catch (IOException | UncheckedIOException ex) {
			if (this.session.isOpen()) {
				logger.debug("Connection " + this.id + " of " + this.container.getDefinition().describe()
						+ " failed: " + ex);
			}
		}
		catch (InvalidReplyException ex) {
			this.statistics.handlerFailed();
			this.container.handlerFailures().error((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": " + ex.getMessage() + sinceLastLine(count), null);
		}
		catch (RuntimeException | Error ex) {
			this.statistics.handlerFailed();
			this.container.handlerFailures().error((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + " after an unexpected failure"
					+ sinceLastLine(count), ex);
		}
		finally {
			try {
				if (this.descriptors != null) {
					this.descriptors.closeRemaining();
				}
				close();
				if (this.opened) {
					this.listener.onConnectionClosed(this.session);
				}
			}
			finally {
				this.container.connectionClosed(this);
			}
		}
	}

	/**
	 * Hands one message to the listener and sends its reply. The received descriptors are closed
	 * after the reply is sent, since a reply may send them back.
	 */
	private void handle(byte[] frame, List<FileDescriptor> received) {
		try {
			EncodedReply reply;
			long start = System.nanoTime();
			try {
				reply = this.listener.onMessage(frame, received, this.session);
			}
			catch (UdsInvalidRequestException ex) {
				if (ex.isClosingConnection()) {
					throw ex;
				}
				this.statistics.payloadRejected();
				this.container.invalidPayloads().warn((count) -> "Connection " + this.id + " of "
						+ this.container.getDefinition().describe() + " sent an invalid payload: "
						+ ex.getClientMessage() + ((ex.getReply() != null) ? "; answered with an error reply"
								: "; not answered")
						+ sinceLastLine(count));
				reply = EncodedReply.answering(ex);
			}
			finally {
				this.statistics.handlerCompleted(System.nanoTime() - start);
			}
			if (reply != null) {
				reply.sendTo(this.session);
			}
		}
		finally {
			ReceivedDescriptors.close(received);
		}
	}

	/**
	 * Decides whether a frame is handed to the listener; a rejected frame's descriptors are closed
	 * and the connection ends.
	 */
	private boolean accept(byte[] frame, List<FileDescriptor> received) {
		if (this.session.isInputShutDown() && this.codec.framing() == Framing.EOF) {
			// our own shutdown ended the stream, not the client: the message may be cut short
			ReceivedDescriptors.close(received);
			this.statistics.frameRejected(FrameRejectedException.Reason.TRUNCATED);
			logger.info("Dropped an eof-framed message of connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": the listener stopped before it ended");
			return false;
		}
		int max = this.container.getDefinition().maxFileDescriptors();
		if (received.size() > max) {
			ReceivedDescriptors.close(received);
			this.statistics.descriptorsRejected();
			String message = "a message carried " + received.size() + " file descriptors, over max-file-descriptors "
					+ max + "; they were closed and the message rejected";
			String answer = answer(UdsErrorReplies.TOO_MANY_DESCRIPTORS, message);
			this.container.rejectedFrames().warn((count) -> "Closing connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": " + message + answer + sinceLastLine(count));
			return false;
		}
		this.statistics.messageReceived(frame.length);
		if (!received.isEmpty()) {
			this.statistics.descriptorsReceived(received.size());
		}
		return true;
	}

	/** Asks the container's {@link UdsListenerInterceptor} whether it takes this connection. */
	private boolean isIntercepted(FrameInputStream input) throws IOException {
		UdsListenerInterceptor interceptor = this.container.getInterceptor();
		return interceptor.isActive() && interceptor
			.interceptConnection(new InterceptedStreamConnection(this.session.socket(), input, this.session.output(),
					this.session::peerPid));
	}

	/**
	 * Tells the client why its connection is closed, when its framing lets it be told: an error
	 * reply, best effort (a client that has gone gets nothing). A truncated frame gets none: its
	 * client has closed.
	 * @return what was done, for the log line
	 */
	private String answerRejected(FrameRejectedException rejection) {
		return switch (rejection.reason()) {
			case TOO_LARGE -> answer(UdsErrorReplies.MESSAGE_TOO_LARGE, rejection.getMessage());
			case MALFORMED -> answer(UdsErrorReplies.MALFORMED_FRAME, rejection.getMessage());
			case TOO_MANY_DESCRIPTORS -> answer(UdsErrorReplies.TOO_MANY_DESCRIPTORS, rejection.getMessage());
			case TRUNCATED -> "";
		};
	}

	private String answer(String error, String message) {
		try {
			this.session.send(UdsErrorReplies.of(error, message));
			return "; answered with an error reply";
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	private static String sinceLastLine(long count) {
		return (count > 1) ? " (" + count + " of this kind on this listener since the last line)" : "";
	}

	/**
	 * Runs the transport's handshake (TLS). A peer refused by it (no trusted certificate where one
	 * is needed, no protocol or cipher in common) is counted with the unauthorized peers and named
	 * in the refused peers' rate-limited WARN line; one that never shakes hands is an idle timeout;
	 * one that goes away first (a port check, a load balancer's probe) is only logged at debug.
	 */
	private boolean secured() {
		try {
			this.session.socket().startHandshake();
			return true;
		}
		catch (SocketTimeoutException ex) {
			this.statistics.idleTimedOut();
			logger.debug("Closing connection " + this.id + " of " + this.container.getDefinition().describe()
					+ ": the TLS handshake did not complete in time");
			return false;
		}
		catch (SSLException ex) {
			if (ex.getCause() instanceof EOFException) {
				logger.debug("Connection " + this.id + " of " + this.container.getDefinition().describe()
						+ " closed before its TLS handshake");
				return false;
			}
			this.statistics.peerUnauthorized();
			this.container.refusedPeers().warn((count) -> "Refused connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": the TLS handshake failed: " + ex.getMessage()
					+ sinceLastLine(count));
			return false;
		}
		catch (IOException ex) {
			logger.debug("Connection " + this.id + " of " + this.container.getDefinition().describe()
					+ " failed during its TLS handshake: " + ex);
			return false;
		}
	}

	/**
	 * Reads the peer's credentials now, while the peer is connected and its pid still names it,
	 * and checks them against the allow-lists.
	 */
	private boolean admitted() {
		boolean checked = this.container.getDefinition().hasAllowList();
		PeerCredentials peer;
		try {
			peer = this.session.peerCredentials();
		}
		catch (UncheckedIOException ex) {
			if (!checked) {
				logger.debug("Cannot read the peer credentials of " + this + ": " + ex.getMessage());
				return true;
			}
			this.statistics.peerUnauthorized();
			this.container.refusedPeers().warn((count) -> "Refused connection " + this.id + " of "
					+ this.container.getDefinition().describe() + ": its peer credentials cannot be read: "
					+ ex.getMessage() + sinceLastLine(count));
			return false;
		}
		if (!checked || (peer != null && this.container.getDefinition().allows(peer))) {
			return true;
		}
		if (peer == null) {
			// startup refuses allow-lists on a transport without credentials: this is a last guard
			this.statistics.peerUnauthorized();
			return false;
		}
		this.statistics.peerUnauthorized();
		this.container.refusedPeers().warn((count) -> "Refused connection " + this.id + " of "
				+ this.container.getDefinition().describe() + ": peer pid " + peer.pid() + ", uid " + peer.uid()
				+ ", groups " + peer.gids() + " is not in allowed-uids " + this.container.getDefinition().allowedUids()
				+ " or allowed-gids " + this.container.getDefinition().allowedGids() + sinceLastLine(count));
		return false;
	}

	/**
	 * Stops reading gracefully; see {@link StreamSession#shutdownInput()}.
	 */
	void shutdownInput() {
		this.session.shutdownInput();
	}

	/**
	 * Closes the connection at once.
	 */
	void close() {
		this.session.close();
	}

	@Override
	public String toString() {
		return this.session.toString();
	}

}
