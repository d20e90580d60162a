package dev.udsboot.listener.source;

import java.io.IOException;
import java.net.Socket;
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

	/** The TCP connection under a TLS one, whose input is shut down for a graceful stop. */
	private final Socket transport;

	/**
	 * Wraps a connection.
	 * @param socket what is read and written: the TCP connection, or a TLS socket over it
	 * @param transport the TCP connection itself
	 */
	TcpConnectionSocket(Socket socket, Socket transport) {
		super(socket);
		this.transport = transport;
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
				throw new IOException("A TCP connection carries no file descriptors");
			}
		};
	}

	/**
	 * Shuts the TCP connection's input down (a TLS socket refuses {@code shutdownInput}). Unlike
	 * a Unix domain socket's, the JDK's TCP socket reads nothing more once its input is shut down:
	 * the message being handled is answered, but bytes the peer sent ahead and not yet read are
	 * dropped.
	 */
	@Override
	public void shutdownInput() throws IOException {
		this.transport.shutdownInput();
	}

	/**
	 * Runs the TLS handshake, if this is a TLS connection, within {@value #HANDSHAKE_TIMEOUT_MILLIS}
	 * ms (or the idle timeout, if shorter): a client that fails it (no certificate where one is
	 * required, one not trusted, none in time) is refused before anything is read.
	 */
	@Override
	public void startHandshake() throws IOException {
		if (this.socket instanceof SSLSocket secured) {
			// a client that connects and never shakes hands must not hold a thread for ever
			int idle = secured.getSoTimeout();
			secured.setSoTimeout((idle == 0) ? HANDSHAKE_TIMEOUT_MILLIS : Math.min(idle, HANDSHAKE_TIMEOUT_MILLIS));
			secured.startHandshake();
			// after a failed handshake the socket is closed: the failure, not this, is what counts
			secured.setSoTimeout(idle);
		}
	}

}
