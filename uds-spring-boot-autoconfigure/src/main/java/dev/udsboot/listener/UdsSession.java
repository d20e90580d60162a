package dev.udsboot.listener;

import org.jspecify.annotations.Nullable;

import dev.udsboot.socket.PeerCredentials;

/**
 * One stream connection, as a handler sees it: which listener it came in on, who is calling, and a
 * way to send further messages and to close it. A handler declares a parameter of this type to
 * receive it (stream listeners only). Thread-safe: {@link #send(byte[])} may be called from any
 * thread.
 */
public interface UdsSession extends UdsPeer {

	/**
	 * Returns an identifier unique among the listener's connections.
	 * @return the connection id
	 */
	long id();

	/**
	 * Returns who is at the other end, as the kernel recorded it when the peer connected.
	 * @return the peer's credentials; on a TCP listener, which has none, {@code null}
	 * @throws java.io.UncheckedIOException if the kernel's credentials cannot be read
	 */
	@Override
	@Nullable PeerCredentials peerCredentials();

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
