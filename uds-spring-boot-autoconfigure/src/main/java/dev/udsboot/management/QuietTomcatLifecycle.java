package dev.udsboot.management;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Runs a start or stop of the management socket's Tomcat without the INFO lines Tomcat logs for
 * it ("Starting service [...]", "Starting Servlet engine: [Apache Tomcat/...]", "Stopping service
 * [...]", the protocol handler's lines): that Tomcat is an implementation detail of the starter,
 * which logs one line of its own, and in a non-web application those lines make people look for a
 * web server they do not have. Warnings and errors still get through.
 * <p>
 * Tomcat logs through JULI, which by default writes to {@code java.util.logging} (Spring Boot
 * bridges it to the application's logging system). A filter on each of those loggers drops
 * records below {@code WARNING} logged by a thread while it is inside {@link #run}, so the same
 * lines of the application's own Tomcat, started by another call, still appear. The filter is
 * installed once and keeps any filter the logger had. A JULI set up to log elsewhere (a
 * {@code org.apache.juli.logging.Log} service) is left as it is.
 */
final class QuietTomcatLifecycle {

	/** The loggers of Tomcat's classes that log at INFO when a server starts or stops. */
	private static final List<String> LOGGER_NAMES = List.of("org.apache.catalina.core.StandardService",
			"org.apache.catalina.core.StandardEngine", "org.apache.coyote.http11.Http11NioProtocol");

	private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> Boolean.FALSE);

	/**
	 * The filtered loggers, kept here: {@code java.util.logging} holds loggers weakly, and one
	 * collected before Tomcat's class asked for it would come back without the filter.
	 */
	private static final List<Logger> LOGGERS = LOGGER_NAMES.stream().map(QuietTomcatLifecycle::filtered).toList();

	private QuietTomcatLifecycle() {
	}

	/**
	 * Runs the action with Tomcat's INFO lines of the calling thread dropped.
	 * @param <E> what the action throws
	 * @param action a start or stop of the management socket's Tomcat
	 * @throws E when the action throws it
	 */
	static <E extends Exception> void run(Action<E> action) throws E {
		boolean outer = !QUIET.get();
		QUIET.set(Boolean.TRUE);
		try {
			action.run();
		}
		finally {
			if (outer) {
				QUIET.remove();
			}
		}
	}

	private static Logger filtered(String name) {
		Logger logger = Logger.getLogger(name);
		synchronized (logger) {
			if (!(logger.getFilter() instanceof QuietFilter)) {
				logger.setFilter(new QuietFilter(logger.getFilter()));
			}
		}
		return logger;
	}

	/**
	 * Something done to a Tomcat.
	 * @param <E> what it throws
	 */
	@FunctionalInterface
	interface Action<E extends Exception> {

		void run() throws E;

	}

	/** Drops a record below WARNING while its thread is quiet, else asks the logger's own filter. */
	private record QuietFilter(@Nullable Filter previous) implements Filter {

		@Override
		public boolean isLoggable(LogRecord record) {
			if (QUIET.get() && record.getLevel().intValue() < Level.WARNING.intValue()) {
				return false;
			}
			return this.previous == null || this.previous.isLoggable(record);
		}

	}

}
