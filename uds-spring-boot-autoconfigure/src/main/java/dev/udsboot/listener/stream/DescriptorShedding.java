package dev.udsboot.listener.stream;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.udsboot.listener.FileDescriptorLimit;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;

/**
 * What a stream listener's acceptor does when the process runs out of file descriptors: it sheds
 * the connections it cannot serve, with a {@link SpareDescriptor}, so their clients get an end of
 * stream (or a reset, if they had written) at once instead of hanging in the backlog; it counts
 * them ({@link UdsListenerStatistics#connectionsShed()}), says so in one WARN line per interval,
 * and serves again as soon as a descriptor is free.
 * <p>
 * The acceptor accepts only a connection that is pending, and an accept with no descriptor left
 * fails with {@code EMFILE}, leaving the connection pending. Each failure releases the spare, and
 * the next accept takes the freed slot. That connection is served if the spare can be reserved
 * again (a descriptor was free after all), and closed otherwise, which frees the slot for the
 * spare. No step sleeps while the spare works;
 * when it is gone (another thread took the freed slot first), the acceptor waits
 * {@value #BACKOFF_MILLIS} ms between attempts, as Tomcat, Netty and asyncio back off, and
 * connections wait in the backlog meanwhile.
 * <p>
 * Used by the acceptor thread; {@link #isOutOfDescriptors()} may be read by any thread.
 */
final class DescriptorShedding implements Closeable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	static final long BACKOFF_MILLIS = 100;

	private final UdsListenerDefinition definition;

	private final UdsListenerStatistics statistics;

	private final SpareDescriptor spare = new SpareDescriptor();

	private final RateLimitedLog log;

	private final AtomicLong shedSinceLogged = new AtomicLong();

	private final RateLimitedLog acceptFailures;

	private volatile boolean outOfDescriptors;

	/**
	 * Reserves the spare descriptor.
	 * @param definition the listener
	 * @param statistics its counters
	 * @param interval the least time between two log lines
	 */
	DescriptorShedding(UdsListenerDefinition definition, UdsListenerStatistics statistics, Duration interval) {
		this.definition = definition;
		this.statistics = statistics;
		this.log = new RateLimitedLog(logger, interval);
		this.acceptFailures = new RateLimitedLog(logger, interval);
		if (!this.spare.isAvailable()) {
			logger.warn("Cannot hold a spare descriptor for " + definition.describe()
					+ ": if the process runs out of descriptors, new connections will wait in the backlog");
		}
	}

	/**
	 * Tells whether the listener's latest accept found the process out of descriptors; cleared by
	 * the next connection it can serve, or once descriptors are free again.
	 * @return {@code true} while connections are being shed
	 */
	boolean isOutOfDescriptors() {
		if (this.outOfDescriptors && FileDescriptorLimit.hasFree(2)) {
			// descriptors were freed and no connection has come since to clear it
			this.outOfDescriptors = false;
		}
		return this.outOfDescriptors;
	}

	/**
	 * Decides about a connection just accepted: served if the spare is held (or can be taken
	 * again), shed (closed) otherwise.
	 * @param socket the accepted connection
	 * @return {@code true} to serve it; {@code false} if it was closed
	 */
	boolean admit(Closeable socket) {
		if (!this.spare.isAvailable() || this.spare.tryReserve()) {
			this.outOfDescriptors = false;
			return true;
		}
		this.outOfDescriptors = true;
		try {
			socket.close();
		}
		catch (IOException ex) {
			// the kernel has released the number anyway
		}
		this.statistics.connectionShed();
		this.shedSinceLogged.incrementAndGet();
		this.log.warn((events) -> "Out of file descriptors (" + FileDescriptorLimit.describeLimit() + "): shed "
				+ this.shedSinceLogged.getAndSet(0) + " connection(s) on " + this.definition.describe()
				+ " since the last line, closed unserved; it serves again once descriptors are free");
		// the slot the connection held is free now
		this.spare.tryReserve();
		return false;
	}

	/**
	 * Handles an accept that failed while the server socket is open: releases the spare so the
	 * next accept can take its slot; with no spare to release, logs, backs off and tries to take
	 * one again.
	 * @param failure what accept threw
	 */
	void acceptFailed(IOException failure) {
		boolean exhausted = FileDescriptorLimit.isExhaustion(failure);
		if (exhausted) {
			this.outOfDescriptors = true;
		}
		// on any failure, not only one recognised as EMFILE: the message depends on the locale
		if (this.spare.release()) {
			return;
		}
		if (exhausted) {
			this.log.warn((events) -> "Out of file descriptors (" + FileDescriptorLimit.describeLimit() + ") on "
					+ this.definition.describe() + ", with no spare descriptor to shed connections with: new "
					+ "connections wait in the backlog; " + this.shedSinceLogged.getAndSet(0)
					+ " shed since the last line");
		}
		else {
			this.acceptFailures.warn((count) -> count + " accept(s) failed on " + this.definition.describe()
					+ "; retrying; the latest: " + failure);
		}
		backOff();
		this.spare.tryReserve();
	}

	private static void backOff() {
		try {
			Thread.sleep(BACKOFF_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Closes the spare descriptor for good. */
	@Override
	public void close() {
		this.spare.close();
	}

}
