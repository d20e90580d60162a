package dev.udsboot.client;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.socket.ListenerAddress;

/**
 * The connections of one {@link UdsTemplate} to one stream socket: at most {@code maxConnections}
 * in use at once, and, when pooled, idle ones kept for the next request (most recently used
 * first). A connection comes back only after a whole exchange with nothing left unread; one that
 * failed in any way is closed. A connection used for one-way sends is kept apart and reused only
 * for one-way sends, so a reply the server sent anyway is never read as the answer to a request.
 * A connection whose last request was sent more than {@code validateAfterInactivity} ago is
 * checked before use.
 * <p>
 * Written here rather than taken from commons-pool2: what is needed is a bound, a LIFO stack and
 * a validity check, and commons-pool2's general pool adds a lock-based deque, eviction threads
 * and a dependency for that. One lock guards the count of connections in use and the idle stacks,
 * so taking and giving back a connection costs one uncontended lock each, where a semaphore beside
 * concurrent deques would cost several atomic operations and a node allocation between a reply and
 * the next request; connecting, checking and closing happen outside it.
 */
final class StreamConnectionPool implements AutoCloseable {

	private final ListenerAddress target;

	private final @Nullable ClientTls tls;

	private final FrameCodec codec;

	private final int maxFileDescriptors;

	private final int timeoutMillis;

	private final boolean pooled;

	private final long validateAfterNanos;

	private final int maxConnections;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition placeFreed = this.lock.newCondition();

	/** Idle request/reply connections, most recently used first; guarded by {@link #lock}. */
	private final ArrayDeque<StreamClientConnection> idle = new ArrayDeque<>();

	/** Idle one-way connections, most recently used first; guarded by {@link #lock}. */
	private final ArrayDeque<StreamClientConnection> idleOneWay = new ArrayDeque<>();

	/** Connections given out and not yet given back; guarded by {@link #lock}. */
	private int inUse;

	private volatile boolean closed;

	StreamConnectionPool(ListenerAddress target, @Nullable ClientTls tls, FrameCodec codec, int maxFileDescriptors,
			Duration timeout, boolean pooled, int maxConnections, Duration validateAfterInactivity) {
		this.target = target;
		this.tls = tls;
		this.codec = codec;
		this.maxFileDescriptors = maxFileDescriptors;
		this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		this.pooled = pooled;
		this.maxConnections = maxConnections;
		this.validateAfterNanos = validateAfterInactivity.toNanos();
	}

	/**
	 * Takes a connection: an idle one that is still good, or a new one.
	 * @param oneWay whether it is for a one-way send
	 * @return the connection, to be given back with {@link #release}
	 * @throws IOException if connecting fails
	 * @throws UdsClientTimeoutException if every connection stayed busy for the whole timeout
	 * @throws UdsClientException if interrupted while waiting for a connection
	 * @throws IllegalStateException if the pool is closed, or closes while waiting
	 */
	StreamClientConnection borrow(boolean oneWay) throws IOException {
		StreamClientConnection candidate = takePlace(oneWay);
		StreamClientConnection taken = null;
		try {
			if (candidate != null) {
				long now = System.nanoTime();
				do {
					if (isGood(candidate, now)) {
						taken = candidate;
						return taken;
					}
					candidate.close();
					now = System.nanoTime();
				}
				while ((candidate = pollIdle(oneWay)) != null);
			}
			taken = StreamClientConnection.open(this.target, this.tls, this.codec, this.maxFileDescriptors,
					this.timeoutMillis);
			return taken;
		}
		finally {
			if (taken == null) {
				// checking or connecting failed: the connection in hand (if any) and the place go
				if (candidate != null) {
					candidate.close();
				}
				giveBack(null, false);
			}
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
		return StreamClientConnection.open(this.target, this.tls, this.codec, this.maxFileDescriptors,
					this.timeoutMillis);
	}

	/** Waits for a place among the connections in use, takes it, and the idle connection on top. */
	private @Nullable StreamClientConnection takePlace(boolean oneWay) {
		this.lock.lock();
		try {
			long waitNanos = TimeUnit.MILLISECONDS.toNanos(this.timeoutMillis);
			while (true) {
				if (this.closed) {
					throw new IllegalStateException("The UdsTemplate for " + this.target + " is closed");
				}
				if (this.inUse < this.maxConnections) {
					break;
				}
				if (waitNanos <= 0) {
					throw new UdsClientTimeoutException("All " + this.maxConnections + " connections to " + this.target
							+ " stayed busy for " + this.timeoutMillis + " ms (uds.client.max-connections)", null);
				}
				waitNanos = this.placeFreed.awaitNanos(waitNanos);
			}
			this.inUse++;
			return (oneWay ? this.idleOneWay : this.idle).pollFirst();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UdsClientException("Interrupted while waiting for a connection to " + this.target, ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private @Nullable StreamClientConnection pollIdle(boolean oneWay) {
		this.lock.lock();
		try {
			return (oneWay ? this.idleOneWay : this.idle).pollFirst();
		}
		finally {
			this.lock.unlock();
		}
	}

	private boolean isGood(StreamClientConnection connection, long now) {
		if (!connection.isOpenOnTheServersSide()) {
			return false;
		}
		if (connection.idleNanos(now) > this.validateAfterNanos) {
			return connection.isAlive();
		}
		// a one-way connection may hold an answer the server sent anyway: looked for without waiting
		return connection.isOneWay() ? connection.hasNothingUnread() : connection.isClean();
	}

	/**
	 * Gives a connection back after a whole exchange, or closes it.
	 * @param connection the connection from {@link #borrow}
	 * @param reusable whether the exchange completed; a failed one's connection is closed
	 * @param oneWay whether it was a one-way send
	 */
	void release(StreamClientConnection connection, boolean reusable, boolean oneWay) {
		boolean kept = false;
		try {
			boolean keep = reusable && this.pooled && !this.closed && connection.isClean();
			if (keep) {
				connection.used(oneWay);
			}
			kept = giveBack(keep ? connection : null, oneWay);
		}
		finally {
			if (!kept) {
				connection.close();
			}
		}
	}

	/**
	 * Frees a place, keeping the connection among the idle ones if given and the pool is open.
	 * @return whether the connection was kept
	 */
	private boolean giveBack(@Nullable StreamClientConnection connection, boolean oneWay) {
		this.lock.lock();
		try {
			this.inUse--;
			this.placeFreed.signal();
			if (connection == null || this.closed) {
				return false;
			}
			(oneWay ? this.idleOneWay : this.idle).offerFirst(connection);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Returns the number of idle connections, for tests and diagnostics.
	 * @return connections kept for reuse
	 */
	int idleCount() {
		this.lock.lock();
		try {
			return this.idle.size() + this.idleOneWay.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void close() {
		List<StreamClientConnection> idleNow = new ArrayList<>();
		this.lock.lock();
		try {
			this.closed = true;
			// waiting borrowers give up rather than wait for a place
			this.placeFreed.signalAll();
			idleNow.addAll(this.idle);
			idleNow.addAll(this.idleOneWay);
			this.idle.clear();
			this.idleOneWay.clear();
		}
		finally {
			this.lock.unlock();
		}
		idleNow.forEach(StreamClientConnection::close);
	}

	@Override
	public String toString() {
		return "StreamConnectionPool[" + this.target + ", " + (this.pooled ? "pooled" : "one-shot") + ", "
				+ this.maxConnections + " connections, " + this.timeoutMillis + " ms timeout]";
	}

}
