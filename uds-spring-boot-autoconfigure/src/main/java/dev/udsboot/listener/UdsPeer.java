package dev.udsboot.listener;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.PeerCredentials;

/**
 * The other end of a received message, as a handler sees it: the listener it came in on, who sent
 * it, and a way to send it more. On a stream listener it is the connection, a {@link UdsSession};
 * on a datagram listener it is the sender of one datagram. A handler declares a parameter of this
 * type to receive it.
 */
public interface UdsPeer {

	/**
	 * Returns the name of the listener the message arrived on.
	 * @return the listener name
	 */
	String listenerName();

	/**
	 * Returns who sent the message, as the kernel recorded it.
	 * @return the peer's credentials; {@code null} for a datagram sender, whose credentials
	 * junixsocket cannot receive (see the README)
	 */
	@Nullable PeerCredentials peerCredentials();

	/**
	 * Returns the certificate chain a TLS client presented, as the handshake verified it.
	 * @return the chain; {@code null} unless the listener is TCP with TLS and the client presented
	 * a certificate (always, with {@code ssl.client-auth: need})
	 */
	default @Nullable PeerCertificates peerCertificates() {
		return null;
	}

	/**
	 * Sends one message to the peer: framed with the listener's framing on a stream, as one
	 * datagram to the sender's address on a datagram listener. A datagram that cannot be
	 * delivered (the sender did not bind an address, has gone, or does not read) is dropped,
	 * counted and logged at debug, as datagrams are: this does not throw for it.
	 * @param payload the payload
	 * @throws java.io.UncheckedIOException if a stream connection is closed or writing fails
	 */
	void send(byte[] payload);

	/**
	 * Sends one message with file descriptors attached (SCM_RIGHTS). The descriptors stay the
	 * caller's.
	 * @param payload the payload; not empty when it carries descriptors on a {@code none} or
	 * {@code eof} stream, which would send no byte for them to travel with
	 * @param descriptors the descriptors to send
	 * @throws java.io.UncheckedIOException if a stream connection is closed or writing fails
	 */
	void send(byte[] payload, List<FileDescriptor> descriptors);

}
