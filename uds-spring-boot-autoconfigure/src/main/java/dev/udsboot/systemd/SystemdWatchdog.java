package dev.udsboot.systemd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Pings systemd's watchdog ({@code WATCHDOG=1}) at a fixed rate while the application is
 * healthy, on one daemon thread of its own. An application that is not healthy stops pinging, so
 * that systemd, after {@code WatchdogSec=}, kills and (with {@code Restart=}) restarts it: a
 * WARN line says so once, and an INFO line when pings resume.
 * <p>
 * Started last and stopped first of the lifecycles, so that the listeners closing at shutdown
 * never count as a health problem; its thread ends when the context stops or closes.
 */
public class SystemdWatchdog implements SmartLifecycle, DisposableBean {

	/** The name of the pinging thread. */
	public static final String THREAD_NAME = "uds-systemd-watchdog";

	private static final Log logger = LogFactory.getLog(SystemdWatchdog.class);

	private final SystemdNotifier notifier;

	private final Duration interval;

	private final ServiceCheck health;

	private @Nullable ScheduledExecutorService scheduler;

	/** Written only on the scheduler's one thread. */
	private boolean unhealthy;

	/**
	 * Creates the watchdog.
	 * @param notifier sends the pings
	 * @param interval the time between two pings (half of {@code WATCHDOG_USEC})
	 * @param health passes while the application is healthy
	 */
	public SystemdWatchdog(SystemdNotifier notifier, Duration interval, ServiceCheck health) {
		this.notifier = notifier;
		this.interval = interval;
		this.health = health;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		long nanos = Math.max(1, this.interval.toNanos());
		// at a fixed rate: a slow health check makes one ping late, not every later one
		scheduler.scheduleAtFixedRate(this::ping, 0, nanos, TimeUnit.NANOSECONDS);
		this.scheduler = scheduler;
		logger.info("Pinging systemd's watchdog every " + this.interval.toMillis() + " ms while the application is healthy");
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
				stopped.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * The highest phase: started after, and stopped before, everything whose health it reports.
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	@Override
	public void destroy() {
		stop();
	}

	private void ping() {
		String problem;
		try {
			problem = this.health.problem();
		}
		catch (RuntimeException ex) {
			problem = "the health check failed: " + ex;
		}
		if (problem != null) {
			if (!this.unhealthy) {
				this.unhealthy = true;
				logger.warn("Stopped pinging systemd's watchdog (WATCHDOG=1): the application is not healthy: " + problem
						+ "; systemd restarts it if no ping comes within WatchdogSec=");
			}
			return;
		}
		if (this.unhealthy) {
			this.unhealthy = false;
			logger.info("Resumed pinging systemd's watchdog: the application is healthy again");
		}
		this.notifier.notify("WATCHDOG=1");
	}

}
