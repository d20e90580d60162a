package dev.udsboot.systemd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Pings systemd's watchdog ({@code WATCHDOG=1}) at a fixed rate while the application is
 * healthy, on one daemon thread of its own. An application that is not healthy stops pinging, so
 * that systemd, after {@code WatchdogSec=}, kills and (with {@code Restart=}) restarts it: a
 * WARN line says so once (an ERROR line if the health check threw an {@link Error}), and an INFO
 * line when pings resume. A ping waits for the health check: a slow one delays it, so
 * {@code WatchdogSec=} must be well above the slowest health check.
 * <p>
 * What healthy means is the health check's: with the auto-configuration, Actuator's aggregate
 * health, so that any DOWN contributor (a database) leads to a restart, or else the listeners, so
 * that a listener stopped on purpose (through the registry) stops the pings too. With a context
 * hierarchy, each context's watchdog checks its own context, and no context pings while another
 * is not healthy (see {@link SystemdNotifier#health(Object, boolean)}).
 * <p>
 * Started last of the lifecycles; stopped when its context begins to close, before
 * {@code STOPPING=1} is sent (no ping follows it) and before the listeners close, which would
 * count as a health problem. Its thread ends then, or, if a health check ignores the interrupt,
 * is left to end on its own (it is a daemon).
 */
public class SystemdWatchdog
		implements SmartLifecycle, DisposableBean, ApplicationListener<ContextClosedEvent>, ApplicationContextAware, Ordered {

	/** The name of the pinging thread. */
	public static final String THREAD_NAME = "uds-systemd-watchdog";

	/**
	 * The longest time between two pings: one a day keeps any longer {@code WatchdogSec=} content,
	 * and its nanoseconds fit a {@code long}.
	 */
	public static final Duration MAX_INTERVAL = Duration.ofDays(1);

	/** How long {@link #stop()} waits for a health check in progress. */
	private static final long STOP_WAIT_MILLIS = 200;

	private static final Log logger = LogFactory.getLog(SystemdWatchdog.class);

	private final SystemdNotifier notifier;

	private final @Nullable Duration interval;

	private final ServiceCheck health;

	private @Nullable ApplicationContext context;

	private @Nullable ScheduledExecutorService scheduler;

	/** Written only on the scheduler's one thread. */
	private boolean unhealthy;

	/**
	 * Creates the watchdog.
	 * @param notifier sends the pings
	 * @param interval the time between two pings (half of {@code WATCHDOG_USEC}); at most
	 * {@link #MAX_INTERVAL} is used; {@code null} if systemd expects none (an AOT-processed
	 * application has this bean whether or not it does): then it never pings
	 * @param health passes while the application is healthy
	 */
	public SystemdWatchdog(SystemdNotifier notifier, @Nullable Duration interval, ServiceCheck health) {
		this.notifier = notifier;
		this.interval = (interval != null && interval.compareTo(MAX_INTERVAL) > 0) ? MAX_INTERVAL : interval;
		this.health = health;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public synchronized void start() {
		Duration interval = this.interval;
		if (this.scheduler != null || interval == null) {
			return;
		}
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		long nanos = Math.max(1, interval.toNanos());
		// at a fixed rate: a slow health check makes one ping late, not every later one
		scheduler.scheduleAtFixedRate(this::ping, 0, nanos, TimeUnit.NANOSECONDS);
		this.scheduler = scheduler;
		logger.info("Pinging systemd's watchdog every " + interval.toMillis() + " ms while the application is healthy");
	}

	@Override
	public void stop() {
		ScheduledExecutorService stopped;
		synchronized (this) {
			stopped = this.scheduler;
			this.scheduler = null;
		}
		if (stopped != null) {
			// interrupts a health check in progress; its ping is not needed any more
			stopped.shutdownNow();
			try {
				// not longer: a check that ignores the interrupt must not hold up shutdown, and its
				// ping cannot follow STOPPING=1 (the notifier refuses it)
				stopped.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.notifier.health(this, true);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * The highest phase: started after everything whose health it reports.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Stops the pings when this context begins to close, before {@code STOPPING=1} is sent.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context) {
			stop();
		}
	}

	/**
	 * The first listener: before the {@link SystemdReadinessNotifier} sends {@code STOPPING=1}.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void destroy() {
		stop();
	}

	private void ping() {
		String problem;
		Throwable error = null;
		try {
			problem = this.health.problem();
		}
		catch (RuntimeException ex) {
			problem = "the health check failed: " + ex;
		}
		catch (VirtualMachineError ex) {
			this.notifier.health(this, false);
			logger.error("Stopped pinging systemd's watchdog (WATCHDOG=1) for good: the health check failed; "
					+ "systemd restarts the application if no ping comes within WatchdogSec=", ex);
			throw ex;
		}
		catch (Throwable ex) {
			// thrown out of the task, it would end the pings for good, without a word
			problem = "the health check failed: " + ex;
			error = ex;
		}
		synchronized (this) {
			if (this.scheduler == null) {
				// stopped while the check ran (and ignored the interrupt): it reports nothing any more
				return;
			}
			this.notifier.health(this, problem == null);
		}
		if (problem != null) {
			if (!this.unhealthy) {
				this.unhealthy = true;
				String message = "Stopped pinging systemd's watchdog (WATCHDOG=1): the application is not healthy: "
						+ problem + "; systemd restarts it if no ping comes within WatchdogSec=";
				if (error != null) {
					logger.error(message, error);
				}
				else {
					logger.warn(message);
				}
			}
			return;
		}
		if (this.unhealthy) {
			this.unhealthy = false;
			logger.info("Resumed pinging systemd's watchdog: the application is healthy again");
		}
		this.notifier.watchdog();
	}

}
