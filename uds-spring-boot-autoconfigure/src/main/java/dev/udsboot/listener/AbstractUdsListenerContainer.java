package dev.udsboot.listener;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What every container shares: the listener it serves, its statistics, its interceptor,
 * rate-limited log lines, and a {@link #stop()} that waits for the graceful stop. A container adds how it receives: a
 * stream container accepts connections, a datagram container receives datagrams.
 */
public abstract class AbstractUdsListenerContainer implements UdsListenerContainer {

	/** The least time between two log lines of one kind, per listener. */
	protected static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private final UdsListenerDefinition definition;

	private final UdsListenerStatistics statistics = new UdsListenerStatistics();

	private volatile UdsListenerInterceptor interceptor = UdsListenerInterceptor.NONE;

	/**
	 * Creates a container.
	 * @param definition the listener it serves
	 */
	protected AbstractUdsListenerContainer(UdsListenerDefinition definition) {
		this.definition = definition;
	}

	@Override
	public final UdsListenerDefinition getDefinition() {
		return this.definition;
	}

	@Override
	public final UdsListenerStatistics getStatistics() {
		return this.statistics;
	}

	@Override
	public final synchronized void addInterceptor(UdsListenerInterceptor interceptor) {
		UdsListenerInterceptor current = this.interceptor;
		this.interceptor = (current == UdsListenerInterceptor.NONE) ? interceptor
				: UdsListenerInterceptor.both(current, interceptor);
	}

	/**
	 * Returns the interceptor the read paths ask before handling a connection or datagram: those
	 * added, in turn.
	 * @return the interceptor; {@link UdsListenerInterceptor#NONE} unless one was added
	 */
	public final UdsListenerInterceptor getInterceptor() {
		return this.interceptor;
	}

	/**
	 * Stops gracefully and waits for it, {@link GracefulStop#TIMEOUT} at most; then closes at once.
	 */
	@Override
	public void stop() {
		if (!GracefulStop.await(this::stop)) {
			LogFactory.getLog(getClass()).warn("Closing " + this.definition.describe() + ": messages still being handled after "
					+ GracefulStop.TIMEOUT.toSeconds() + " s");
			close();
		}
	}

	/**
	 * Returns a log that writes one line per {@link #LOG_INTERVAL} for one kind of event.
	 * @param logger where its lines go
	 * @return a new log
	 */
	protected static RateLimitedLog rateLimited(Log logger) {
		return new RateLimitedLog(logger, LOG_INTERVAL);
	}

}
