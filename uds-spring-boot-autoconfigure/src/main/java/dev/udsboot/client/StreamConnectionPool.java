package dev.udsboot.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.socket.UdsAddress;

/**
 * The connections of one {@link UdsTemplate} to one stream socket: at most {@code maxConnections}
 * in use at once, and, when pooled, idle ones kept for the next request (most recently used
 * first). A connection comes back only after a whole exchange with nothing left unread; one that
 * failed in any way is closed. A connection used for one-way sends is kept apart and reused only
 * for one-way sends, so a reply the server sent anyway is never read as the answer to a request.
 * A connection idle for longer than {@code validateAfterInactivity} is checked before use.
 * <p>
 * Written here rather than taken from commons-pool2: what is needed is a bound, a LIFO stack and
 * a validity check, and commons-pool2's general pool adds a lock-based deque, eviction threads
 * and a dependency for that.
 */
final class StreamConnectionPool implements AutoCloseable {

	private final UdsAddress target;

	private final FrameCodec codec;

	private final int maxFileDescriptors;

	private final int timeoutMillis;

	private final boolean pooled;

	private final long validateAfterNanos;

	private final Semaphore permits;

	private final int maxConnections;

	private final Deque<StreamClientConnection> idle = new ConcurrentLinkedDeque<>();

	private final Deque<StreamClientConnection> idleOneWay = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	StreamConnectionPool(UdsAddress target, FrameCodec codec, int maxFileDescriptors, Duration timeout,
			boolean pooled, int maxConnections, Duration validateAfterInactivity) {
		this.target = target;
		this.codec = codec;
		this.maxFileDescriptors = maxFileDescriptors;
		this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		this.pooled = pooled;
		this.maxConnections = maxConnections;
		this.permits = new Semaphore(maxConnections);
		this.validateAfterNanos = validateAfterInactivity.toNanos();
	}

	/**
	 * Takes a connection: an idle one that is still good, or a new one.
	 * @param oneWay whether it is for a one-way send
	 * @return the connection, to be given back with {@link #release}
	 * @throws IOException if connecting fails
	 * @throws UdsClientTimeoutException if every connection stayed busy for the whole timeout
	 */
	StreamClientConnection borrow(boolean oneWay) throws IOException {
		if (this.closed) {
			throw new IllegalStateException("The UdsTemplate for " + this.target + " is closed");
		}
		acquire();
		try {
			StreamClientConnection connection = pollIdle(oneWay ? this.idleOneWay : this.idle);
			return (connection != null) ? connection
					: StreamClientConnection.open(this.target, this.codec, this.maxFileDescriptors, this.timeoutMillis);
		}
		catch (IOException | RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	/**
	 * Replaces a borrowed connection the server has closed with a new one, keeping its place
	 * among the connections in use.
	 * @param closed the borrowed connection, closed here
	 * @return the new connection, to be given back with {@link #release}
	 * @throws IOException if connecting fails; the place is then still the caller's to release
	 */
	StreamClientConnection reopen(StreamClientConnection closed) throws IOException {
		closed.close();
		return StreamClientConnection.open(this.target, this.codec, this.maxFileDescriptors, this.timeoutMillis);
	}

	private void acquire() {
		if (this.permits.tryAcquire()) {
			// a free place: taken without the timed wait's interrupt check and clock read
			return;
		}
		try {
			if (!this.permits.tryAcquire(this.timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new UdsClientTimeoutException("All " + this.maxConnections + " connections to " + this.target
						+ " stayed busy for " + this.timeoutMillis + " ms (uds.client.max-connections)", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UdsClientException("Interrupted while waiting for a connection to " + this.target, ex);
		}
	}

	private @Nullable StreamClientConnection pollIdle(Deque<StreamClientConnection> stack) {
		StreamClientConnection connection = stack.pollFirst();
		if (connection == null) {
			return null;
		}
		long now = System.nanoTime();
		do {
			boolean good;
			if (connection.idleNanos(now) > this.validateAfterNanos) {
				good = connection.isAlive();
				now = System.nanoTime();
			}
			else {
				// a one-way connection may hold an answer the server sent anyway: looked for without waiting
				good = connection.isOneWay() ? connection.hasNothingUnread() : connection.isClean();
			}
			if (good) {
				return connection;
			}
			connection.close();
		}
		while ((connection = stack.pollFirst()) != null);
		return null;
	}

	/**
	 * Gives a connection back after a whole exchange, or closes it.
	 * @param connection the connection from {@link #borrow}
	 * @param reusable whether the exchange completed; a failed one's connection is closed
	 * @param oneWay whether it was a one-way send
	 */
	void release(StreamClientConnection connection, boolean reusable, boolean oneWay) {
		try {
			if (reusable && this.pooled && !this.closed && connection.isClean()) {
				connection.used(oneWay);
				(oneWay ? this.idleOneWay : this.idle).offerFirst(connection);
				if (this.closed) {
					drain();
				}
			}
			else {
				connection.close();
			}
		}
		finally {
			this.permits.release();
		}
	}

	/**
	 * Returns the number of idle connections, for tests and diagnostics.
	 * @return connections kept for reuse
	 */
	int idleCount() {
		return this.idle.size() + this.idleOneWay.size();
	}

	@Override
	public void close() {
		this.closed = true;
		drain();
	}

	@Override
	public String toString() {
		return "StreamConnectionPool[" + this.target + ", " + (this.pooled ? "pooled" : "one-shot") + ", "
				+ this.maxConnections + " connections, " + this.timeoutMillis + " ms timeout]";
	}

	private void drain() {
		for (Deque<StreamClientConnection> stack : java.util.List.of(this.idle, this.idleOneWay)) {
			StreamClientConnection connection;
			while ((connection = stack.pollFirst()) != null) {
				connection.close();
			}
		}
	}

}
