package dev.udsboot.systemd;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.StringUtils;

/**
 * Reads what systemd passes a service in its environment: {@code NOTIFY_SOCKET},
 * {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}. They are read through Spring's
 * {@code Environment}, whose {@code systemEnvironment} property source holds the process
 * environment (Spring Boot's {@code CloudPlatform} detects Kubernetes this way), so that a test
 * can set them as properties.
 */
public final class SystemdEnvironment {

	/** Where notifications go: a socket path, or {@code @name} for the abstract namespace. */
	public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

	/** The watchdog timeout in microseconds, when {@code WatchdogSec=} is set. */
	public static final String WATCHDOG_USEC = "WATCHDOG_USEC";

	/** The process the watchdog is meant for; a child that inherited the variables is not it. */
	public static final String WATCHDOG_PID = "WATCHDOG_PID";

	private SystemdEnvironment() {
	}

	/**
	 * Returns where notifications go.
	 * @param environment the application's environment
	 * @return the value of {@code NOTIFY_SOCKET}, or {@code null} if it is not set or blank
	 */
	public static @Nullable String notifySocket(PropertyResolver environment) {
		String value = environment.getProperty(NOTIFY_SOCKET);
		return StringUtils.hasText(value) ? value : null;
	}

	/**
	 * Tells whether systemd expects watchdog pings from this process, as
	 * {@code sd_watchdog_enabled(3)} decides: {@code WATCHDOG_USEC} is a positive number, and
	 * {@code WATCHDOG_PID}, if set, is this process's pid.
	 * @param environment the application's environment
	 * @return the timeout, or why there is none
	 */
	public static Watchdog watchdog(PropertyResolver environment) {
		String usec = environment.getProperty(WATCHDOG_USEC);
		if (!StringUtils.hasText(usec)) {
			return Watchdog.none(WATCHDOG_USEC + " is not set");
		}
		long micros;
		try {
			micros = Long.parseLong(usec.trim());
		}
		catch (NumberFormatException ex) {
			return Watchdog.none(WATCHDOG_USEC + "=" + usec + " is not a number");
		}
		if (micros <= 0) {
			return Watchdog.none(WATCHDOG_USEC + "=" + usec + " is not positive");
		}
		String pid = environment.getProperty(WATCHDOG_PID);
		long ownPid = ProcessHandle.current().pid();
		if (StringUtils.hasText(pid)) {
			try {
				if (Long.parseLong(pid.trim()) != ownPid) {
					return Watchdog.none(WATCHDOG_PID + "=" + pid + " is another process than this one (" + ownPid + ")");
				}
			}
			catch (NumberFormatException ex) {
				return Watchdog.none(WATCHDOG_PID + "=" + pid + " is not a number");
			}
		}
		return new Watchdog(Duration.of(micros, ChronoUnit.MICROS),
				WATCHDOG_USEC + "=" + usec + (StringUtils.hasText(pid) ? " for this process" : ""));
	}

	/**
	 * What systemd asks of the watchdog.
	 *
	 * @param timeout how long systemd waits for a ping, or {@code null} if it expects none
	 * @param reason why it expects pings, or why not
	 */
	public record Watchdog(@Nullable Duration timeout, String reason) {

		static Watchdog none(String reason) {
			return new Watchdog(null, reason);
		}

		/**
		 * Returns how often to ping: half the timeout, as {@code sd_watchdog_enabled(3)} advises,
		 * so that one late ping does not cost a restart.
		 * @return the interval
		 * @throws IllegalStateException if systemd expects no pings
		 */
		public Duration interval() {
			if (this.timeout == null) {
				throw new IllegalStateException("systemd expects no watchdog pings: " + this.reason);
			}
			return this.timeout.dividedBy(2);
		}

	}

}
