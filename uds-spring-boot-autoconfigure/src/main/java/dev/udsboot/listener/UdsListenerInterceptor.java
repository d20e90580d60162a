package dev.udsboot.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Lets the starter's own traffic through a listener's socket (health probes) be answered before
 * and apart from handlers and statistics: a container asks its interceptor about each new
 * connection and each datagram first, and one the interceptor takes is seen by no handler, event
 * handler or counter. Interceptors are added to a container
 * ({@link UdsListenerContainer#addInterceptor}) and asked in that order; without any, nothing is
 * asked.
 * <p>
 * An interceptor is asked on the data path, so it must decline ordinary traffic cheaply: while it
 * expects no traffic of its own, {@link #isActive()} says so and it is not asked at all; when it
 * is, it looks at what costs nothing (the sender's address, the peer's pid) before anything that
 * costs a read.
 */
public interface UdsListenerInterceptor {

	/** Takes nothing: every connection and datagram goes to the handlers. */
	UdsListenerInterceptor NONE = new UdsListenerInterceptor() {

		@Override
		public boolean isActive() {
			return false;
		}

		@Override
		public String toString() {
			return "UdsListenerInterceptor.NONE";
		}

	};

	/**
	 * Tells whether this interceptor may take anything now. The read paths ask this first, and
	 * while it says no they neither ask the interceptor nor prepare anything for it.
	 * @return {@code true} if it expects traffic of its own; {@code true} by default
	 */
	default boolean isActive() {
		return true;
	}

	/**
	 * Returns an interceptor that asks two in turn: the first to take a connection or datagram
	 * wins.
	 * @param first asked first
	 * @param second asked if the first declines
	 * @return the combination
	 */
	static UdsListenerInterceptor both(UdsListenerInterceptor first, UdsListenerInterceptor second) {
		return new UdsListenerInterceptor() {

			@Override
			public boolean isActive() {
				return first.isActive() || second.isActive();
			}

			@Override
			public boolean interceptConnection(InterceptedConnection connection) throws IOException {
				return (first.isActive() && first.interceptConnection(connection))
						|| (second.isActive() && second.interceptConnection(connection));
			}

			@Override
			public boolean interceptDatagram(@Nullable AFUNIXSocketAddress from, ByteBuffer payload,
					Consumer<byte[]> reply) {
				return (first.isActive() && first.interceptDatagram(from, payload.duplicate(), reply))
						|| (second.isActive() && second.interceptDatagram(from, payload.duplicate(), reply));
			}

		};
	}

	/**
	 * Called on a new stream connection's own thread, before it is counted, admitted (allow-lists)
	 * or read.
	 * @param connection the connection, as far as an interceptor may see it
	 * @return {@code true} if the interceptor took it: the container then closes it, unserved and
	 * uncounted; {@code false} to serve it as usual (nothing it peeked at is consumed)
	 * @throws IOException if the connection failed; the container then ends it as any failed one
	 */
	default boolean interceptConnection(InterceptedConnection connection) throws IOException {
		return false;
	}

	/**
	 * Called for each datagram received, before its size and descriptors are checked and before
	 * any handler, while the receiving thread holds the socket: it must not block.
	 * @param from the sender's address, or {@code null} if it bound none
	 * @param payload the datagram's bytes, read-only, valid during this call only (a datagram
	 * larger than max-message-size is cut one byte over it)
	 * @param reply sends a datagram back to {@code from} (if it bound one), uncounted; what is
	 * given during this call is sent if the datagram is taken, once the receiving thread has let
	 * go of the socket; what is given later is sent at once
	 * @return {@code true} if the interceptor took the datagram: the container closes its
	 * descriptors, if any, and does nothing else with it; {@code false} to handle it as usual
	 */
	default boolean interceptDatagram(@Nullable AFUNIXSocketAddress from, ByteBuffer payload,
			Consumer<byte[]> reply) {
		return false;
	}

	/**
	 * A new stream connection, as an interceptor sees it before the container serves it.
	 */
	interface InterceptedConnection {

		/**
		 * Returns the peer's process id, as the kernel reports it (it cannot be forged); read
		 * once, when first asked.
		 * @return the pid, or {@code -1} if the peer's credentials cannot be read or there are none (TCP)
		 */
		long peerPid();

		/**
		 * Returns the bytes the peer sent first, without consuming them: a handler reads them as
		 * usual if the connection is not taken.
		 * @param timeoutMillis how long to wait for the first bytes
		 * @return the bytes available first, possibly fewer than the peer meant to send; empty if
		 * none came in time or the peer closed
		 * @throws IOException if reading failed
		 */
		byte[] peek(int timeoutMillis) throws IOException;

		/**
		 * Consumes bytes already peeked at.
		 * @param count how many
		 * @throws IOException if reading failed
		 */
		void skip(int count) throws IOException;

		/**
		 * Writes bytes to the peer at once, unframed and uncounted.
		 * @param bytes what to write
		 * @throws IOException if writing failed
		 */
		void write(byte[] bytes) throws IOException;

	}

}
