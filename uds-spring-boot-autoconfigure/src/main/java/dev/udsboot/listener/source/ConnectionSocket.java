package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.OutboundDescriptors;
import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * One accepted stream connection, as a container reads, writes and ends it, whatever carries it:
 * what a transport cannot give (a peer's credentials, descriptors) it says it has not, so the
 * container's code is the same for every transport.
 */
public interface ConnectionSocket extends Closeable {

	/**
	 * Returns the stream the peer's bytes are read from.
	 * @return the input stream
	 * @throws IOException if the connection is closed
	 */
	InputStream getInputStream() throws IOException;

	/**
	 * Returns the stream written to the peer.
	 * @return the output stream
	 * @throws IOException if the connection is closed
	 */
	OutputStream getOutputStream() throws IOException;

	/**
	 * Returns how long a read waits before it fails with a timeout.
	 * @return milliseconds; zero for ever
	 * @throws IOException if the connection is closed
	 */
	int getSoTimeout() throws IOException;

	/**
	 * Sets how long a read waits before it fails with a timeout.
	 * @param millis milliseconds; zero for ever
	 * @throws IOException if the connection is closed
	 */
	void setSoTimeout(int millis) throws IOException;

	/**
	 * Reads the peer's credentials from the kernel.
	 * @return the credentials, or {@code null} if the transport has none
	 * @throws IOException if they cannot be read
	 */
	@Nullable PeerCredentials readPeerCredentials() throws IOException;

	/**
	 * Returns the certificate chain the peer presented in the TLS handshake, as it was verified.
	 * @return the chain, or {@code null} if the transport is not TLS or the peer presented none
	 */
	default @Nullable PeerCertificates peerCertificates() {
		return null;
	}

	/**
	 * Starts tracking the descriptors that arrive with the peer's bytes.
	 * @param maxPerMessage the listener's max-file-descriptors
	 * @return the tracker, or {@code null} if the transport carries no descriptors
	 */
	@Nullable ReceivedDescriptors trackReceivedDescriptors(int maxPerMessage);

	/**
	 * Returns how descriptors are attached to the bytes written next.
	 * @return the setter; for a transport that carries none, one that refuses any
	 */
	OutboundDescriptors outboundDescriptors();

	/**
	 * Stops reading gracefully: what the peer already sent is still read, then the input ends.
	 * @throws IOException if the input cannot be shut down
	 */
	void shutdownInput() throws IOException;

	/**
	 * Secures the connection before anything is read, where the transport does (TLS): a peer that
	 * fails is refused.
	 * @throws IOException if the peer fails the handshake
	 */
	default void startHandshake() throws IOException {
	}

	/**
	 * Tells whether the connection is closed.
	 * @return {@code true} once closed
	 */
	boolean isClosed();

}
