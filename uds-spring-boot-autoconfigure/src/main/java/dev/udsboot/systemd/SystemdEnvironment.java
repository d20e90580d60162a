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

	/**
	 * The watchdog timeout in microseconds, when {@code WatchdogSec=} is set: an unsigned 64-bit
	 * number, as {@code sd_watchdog_enabled(3)} reads it.
	 */
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
			// unsigned, as systemd writes it: up to 2^64 - 2 (2^64 - 1 is USEC_INFINITY, never a timeout)
			micros = Long.parseUnsignedLong(usec.trim());
		}
		catch (NumberFormatException ex) {
			return Watchdog.none(WATCHDOG_USEC + "=" + usec
					+ (usec.trim().matches("-\\d+") ? " is not positive" : " is not a number"));
		}
		if (micros == 0) {
			return Watchdog.none(WATCHDOG_USEC + "=" + usec + " is not positive");
		}
		if (micros == -1) {
			return Watchdog.none(WATCHDOG_USEC + "=" + usec + " is infinity (USEC_INFINITY), not a timeout");
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
		// above 2^63 - 1 microseconds (292,000 years) the difference does not matter
		Duration timeout = Duration.of((micros < 0) ? Long.MAX_VALUE : micros, ChronoUnit.MICROS);
		return new Watchdog(timeout,
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
		 * so that one late ping does not cost a restart, and at most once a day
		 * ({@link SystemdWatchdog#MAX_INTERVAL}), so that a huge timeout is a usable interval.
		 * @return the interval
		 * @throws IllegalStateException if systemd expects no pings
		 */
		public Duration interval() {
			if (this.timeout == null) {
				throw new IllegalStateException("systemd expects no watchdog pings: " + this.reason);
			}
			Duration half = this.timeout.dividedBy(2);
			return (half.compareTo(SystemdWatchdog.MAX_INTERVAL) > 0) ? SystemdWatchdog.MAX_INTERVAL : half;
		}

	}

}
