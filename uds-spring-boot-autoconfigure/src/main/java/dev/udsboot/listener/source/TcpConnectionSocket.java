package dev.udsboot.listener.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.OutboundDescriptors;
import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * A connection accepted on a TCP port, in plain TCP or TLS: no peer credentials, no descriptors
 * (startup refuses handlers that need them on a TCP listener, so refusing them here is a last
 * guard).
 */
final class TcpConnectionSocket extends SocketConnection<Socket> {

	/** How long a TLS handshake may take, at most: {@value} ms. */
	static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

	/**
	 * How long a read waits, once a graceful stop began, for bytes the peer already sent: {@value}
	 * ms. They are on their way or in the kernel's buffer; a read that waits longer ends the input.
	 */
	static final int DRAIN_READ_TIMEOUT_MILLIS = 100;

	/** The TCP connection under a TLS one. */
	private final Socket transport;

	/** Serializes graceful stops and the end of the handshake, which happen once each. */
	private final Object readState = new Object();

	/** Whether the reader is inside a read of the socket. */
	private volatile boolean reading;

	/** Whether a graceful stop began. */
	private volatile boolean draining;

	/** Whether the TLS handshake, if any, is done: reads after it go through {@link DrainableInput}. */
	private volatile boolean secured;

	private @Nullable InputStream input;

	/**
	 * Wraps a connection.
	 * @param socket what is read and written: the TCP connection, or a TLS socket over it
	 * @param transport the TCP connection itself
	 */
	TcpConnectionSocket(Socket socket, Socket transport) {
		super(socket);
		this.transport = transport;
		this.secured = (socket == transport);
	}

	@Override
	public synchronized InputStream getInputStream() throws IOException {
		InputStream drainable = this.input;
		if (drainable == null) {
			drainable = new DrainableInput(this.socket.getInputStream());
			this.input = drainable;
		}
		return drainable;
	}

	@Override
	public @Nullable PeerCredentials readPeerCredentials() {
		return null;
	}

	/**
	 * Closes the TCP connection first, then the TLS socket over it: {@code SSLSocket.close()}
	 * waits, without a time limit, for a handler blocked writing to a client that does not read,
	 * and a forced stop must not. The TLS close alert is not sent.
	 */
	@Override
	public void close() throws IOException {
		this.transport.close();
		if (this.socket != this.transport) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// its transport is closed: nothing is left open
			}
		}
	}

	@Override
	public @Nullable PeerCertificates peerCertificates() {
		if (!(this.socket instanceof SSLSocket secured)) {
			return null;
		}
		try {
			List<X509Certificate> chain = new ArrayList<>();
			for (Certificate certificate : secured.getSession().getPeerCertificates()) {
				if (certificate instanceof X509Certificate x509) {
					chain.add(x509);
				}
			}
			return chain.isEmpty() ? null : new PeerCertificates(chain);
		}
		catch (SSLPeerUnverifiedException ex) {
			// the client presented no certificate (client-auth none, or want without one)
			return null;
		}
	}

	@Override
	public @Nullable ReceivedDescriptors trackReceivedDescriptors(int maxPerMessage) {
		return null;
	}

	@Override
	public OutboundDescriptors outboundDescriptors() {
		return (descriptors) -> {
			if (descriptors != null && descriptors.length > 0) {
				// the sender's mistake, not the connection's: refused before anything is written
				throw new IllegalArgumentException("Cannot send file descriptors on a TCP connection: TCP carries none");
			}
		};
	}

	/**
	 * Stops reading, gracefully: what the peer already sent is still read, then the input ends.
	 * The JDK's TCP socket reads nothing more once its input is shut down, unlike a Unix domain
	 * socket, so the input is shut down only to wake a reader that waits for bytes the peer has
	 * not sent: one inside a read with nothing in the kernel's buffer (or before its TLS handshake
	 * is done). Any other reader finds the bytes sent ahead when it reads on, with a short timeout
	 * that ends the input once there are no more. A message that arrives at the moment the stop
	 * begins may still be cut short.
	 */
	@Override
	public void shutdownInput() throws IOException {
		synchronized (this.readState) {
			this.draining = true;
			if (!this.secured || (this.reading && nothingBuffered())) {
				// a TLS socket refuses shutdownInput: its transport's is what wakes the reader
				this.transport.shutdownInput();
			}
		}
	}

	/** Tells whether a read would wait: nothing in the kernel's buffer, nor decrypted in TLS's. */
	private boolean nothingBuffered() throws IOException {
		return this.transport.getInputStream().available() == 0
				&& (this.socket == this.transport || this.socket.getInputStream().available() == 0);
	}

	/**
	 * Runs the TLS handshake, if this is a TLS connection, within {@value #HANDSHAKE_TIMEOUT_MILLIS}
	 * ms (or the idle timeout, if shorter): a client that fails it (no certificate where one is
	 * required, one not trusted, none in time) is refused before anything is read.
	 */
	@Override
	public void startHandshake() throws IOException {
		if (this.socket instanceof SSLSocket tls) {
			// a client that connects and never shakes hands must not hold a thread for ever
			int idle = tls.getSoTimeout();
			tls.setSoTimeout((idle == 0) ? HANDSHAKE_TIMEOUT_MILLIS : Math.min(idle, HANDSHAKE_TIMEOUT_MILLIS));
			tls.startHandshake();
			// after a failed handshake the socket is closed: the failure, not this, is what counts
			tls.setSoTimeout(idle);
		}
		synchronized (this.readState) {
			// a stop that came during the handshake shut the input down: the first read ends it
			this.secured = true;
		}
	}

	/**
	 * The peer's bytes, read so that a graceful stop ({@link #shutdownInput()}) knows whether the
	 * reader waits in a read, and so that, once it began, a read that waits in vain ends the input.
	 */
	private final class DrainableInput extends FilterInputStream {

		DrainableInput(InputStream input) {
			super(input);
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int read = read(one, 0, 1);
			return (read == 1) ? (one[0] & 0xff) : -1;
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			// volatile, no lock on the path of every read: this thread writes reading, then reads
			// draining; a stop writes draining, then reads reading; one of the two sees the other
			TcpConnectionSocket.this.reading = true;
			boolean drain = TcpConnectionSocket.this.draining;
			try {
				if (drain) {
					// set at every read: a health probe's peek restores the timeout it found
					TcpConnectionSocket.this.socket.setSoTimeout(DRAIN_READ_TIMEOUT_MILLIS);
				}
				return this.in.read(bytes, offset, length);
			}
			catch (SocketTimeoutException ex) {
				if (drain) {
					return -1;
				}
				throw ex;
			}
			finally {
				TcpConnectionSocket.this.reading = false;
			}
		}

	}

}
