package dev.udsboot.listener;

import java.io.FileDescriptor;
import java.util.List;

import dev.udsboot.socket.PeerCredentials;

/**
 * One stream connection, as a handler sees it: which listener it came in on, who is calling, and a
 * way to send
 * further messages and to close it. A handler declares a parameter of this type to receive it.
 * Thread-safe: {@link #send(byte[])} may be called from any thread.
 */
public interface UdsSession {

	/**
	 * Returns the name of the listener the connection was accepted on.
	 * @return the listener name
	 */
	String listenerName();

	/**
	 * Returns an identifier unique among the listener's connections.
	 * @return the connection id
	 */
	long id();

	/**
	 * Returns who is at the other end, as the kernel recorded it when the peer connected.
	 * @return the peer's credentials
	 * @throws java.io.UncheckedIOException if the kernel's credentials cannot be read
	 */
	PeerCredentials peerCredentials();

	/**
	 * Sends one message, framed with the listener's framing.
	 * @param payload the payload
	 * @throws java.io.UncheckedIOException if the connection is closed or writing fails
	 */
	void send(byte[] payload);

	/**
	 * Sends one message with file descriptors attached (SCM_RIGHTS), framed with the listener's
	 * framing. The descriptors travel with the frame's first bytes; they stay the caller's.
	 * @param payload the payload
	 * @param descriptors the descriptors to send
	 * @throws java.io.UncheckedIOException if the connection is closed or writing fails
	 */
	void send(byte[] payload, List<FileDescriptor> descriptors);

	/**
	 * Tells whether the connection is still open.
	 * @return {@code true} until it is closed by either side
	 */
	boolean isOpen();

	/**
	 * Closes the connection; a handler running on it finishes, and nothing more is read.
	 */
	void close();

}
