package dev.udsboot.listener.stream;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.listener.source.ConnectionSocket;
import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.PeerCredentials;

/**
 * The handlers' view of one stream connection: who is calling, sending (framed, with descriptors,
 * from any thread) and closing. The reading side is {@link StreamConnection}'s.
 */
final class StreamSession implements UdsSession {

	private static final Log logger = LogFactory.getLog(StreamSession.class);

	private final long id;

	private final String listenerName;

	private final ConnectionSocket socket;

	private final FrameCodec codec;

	private final OutputStream output;

	private final UdsListenerStatistics statistics;

	private final Object writeLock = new Object();

	private volatile boolean open = true;

	private volatile boolean inputShutDown;

	private volatile @Nullable PeerCredentials peerCredentials;

	StreamSession(long id, String listenerName, ConnectionSocket socket, FrameCodec codec,
			UdsListenerStatistics statistics) throws IOException {
		this.id = id;
		this.listenerName = listenerName;
		this.socket = socket;
		this.codec = codec;
		this.statistics = statistics;
		this.output = codec.newOutputStream(socket.getOutputStream());
	}

	ConnectionSocket socket() {
		return this.socket;
	}

	OutputStream output() {
		return this.output;
	}

	/**
	 * Reads the peer's credentials once, from the kernel; they name the process that connected.
	 * A TCP connection has none.
	 */
	@Override
	public @Nullable PeerCredentials peerCredentials() {
		PeerCredentials peer = this.peerCredentials;
		if (peer == null) {
			try {
				peer = this.socket.readPeerCredentials();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the peer credentials of " + this, ex);
			}
			this.peerCredentials = peer;
		}
		return peer;
	}

	@Override
	public @Nullable PeerCertificates peerCertificates() {
		return this.socket.peerCertificates();
	}

	/**
	 * Returns the peer's pid.
	 * @return the pid, or -1 if the peer's credentials cannot be read or there are none (TCP)
	 */
	long peerPid() {
		try {
			PeerCredentials peer = peerCredentials();
			return (peer != null) ? peer.pid() : -1;
		}
		catch (UncheckedIOException ex) {
			return -1;
		}
	}

	@Override
	public String listenerName() {
		return this.listenerName;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public void send(byte[] payload) {
		send(payload, List.of());
	}

	@Override
	public void send(byte[] payload, List<FileDescriptor> descriptors) {
		this.codec.checkReply(payload);
		synchronized (this.writeLock) {
			try {
				this.codec.send(payload, descriptors, this.socket.outboundDescriptors(), this.output);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot send on connection " + this.id + " of listener '"
						+ this.listenerName + "': " + ex.getMessage(), ex);
			}
		}
		this.statistics.messageSent(payload.length);
	}

	@Override
	public boolean isOpen() {
		return this.open && !this.socket.isClosed();
	}

	/**
	 * Tells whether {@link #shutdownInput()} ended the input, rather than the client.
	 * @return {@code true} after a graceful stop began
	 */
	boolean isInputShutDown() {
		return this.inputShutDown;
	}

	/**
	 * Stops reading: data the client already sent is still read and answered, then the reader
	 * sees end of stream and the connection closes.
	 */
	void shutdownInput() {
		this.inputShutDown = true;
		try {
			this.socket.shutdownInput();
		}
		catch (IOException ex) {
			close();
		}
	}

	@Override
	public void close() {
		this.open = false;
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close connection " + this.id, ex);
		}
	}

	@Override
	public String toString() {
		return "connection " + this.id + " of listener '" + this.listenerName + "'";
	}

}
