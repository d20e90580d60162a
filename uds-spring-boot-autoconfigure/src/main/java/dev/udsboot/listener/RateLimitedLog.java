package dev.udsboot.listener;

import java.time.Duration;
import java.util.function.LongFunction;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a repeated event at most once per interval, with the number of events since the last line,
 * so a client repeating bad input, or a handler failing on every message, cannot flood the log.
 * Thread-safe.
 */
public final class RateLimitedLog {

	private final Log logger;

	private final long intervalNanos;

	private long lastLogged;

	private long eventsSinceLogged;

	private boolean logged;

	/**
	 * Creates a log.
	 * @param logger where lines go
	 * @param interval the least time between two lines
	 */
	public RateLimitedLog(Log logger, Duration interval) {
		this.logger = logger;
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Records an event, and logs it at WARN unless a line was logged within the interval.
	 * @param message makes the line from the number of events it covers (this one included)
	 */
	public void warn(LongFunction<String> message) {
		String line = due(message);
		if (line != null) {
			this.logger.warn(line);
		}
	}

	/**
	 * Records an event, and logs it at ERROR with the failure's stack trace unless a line was
	 * logged within the interval.
	 * @param message makes the line from the number of events it covers (this one included)
	 * @param failure the failure, whose stack trace goes with the line
	 */
	public void error(LongFunction<String> message, @Nullable Throwable failure) {
		String line = due(message);
		if (line != null) {
			this.logger.error(line, failure);
		}
	}

	private synchronized @Nullable String due(LongFunction<String> message) {
		this.eventsSinceLogged++;
		long now = System.nanoTime();
		if (!this.logged || now - this.lastLogged > this.intervalNanos) {
			String line = message.apply(this.eventsSinceLogged);
			this.logged = true;
			this.lastLogged = now;
			this.eventsSinceLogged = 0;
			return line;
		}
		return null;
	}

}
