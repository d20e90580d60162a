package dev.udsboot.autoconfigure.systemd;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches for the notifications to systemd. Each part is on when systemd asks for it (its
 * environment variable is set) and can be switched off here.
 */
@ConfigurationProperties("uds.systemd")
public class UdsSystemdProperties {

	private final Notify notify = new Notify();

	private final Watchdog watchdog = new Watchdog();

	/**
	 * Returns the readiness notification settings.
	 * @return the settings
	 */
	public Notify getNotify() {
		return this.notify;
	}

	/**
	 * Returns the watchdog settings.
	 * @return the settings
	 */
	public Watchdog getWatchdog() {
		return this.watchdog;
	}

	/**
	 * Readiness and stopping notifications ({@code READY=1}, {@code STOPPING=1}).
	 */
	public static class Notify {

		/**
		 * Whether to notify systemd (READY=1 once every listener accepts, STOPPING=1 when
		 * shutdown begins) when NOTIFY_SOCKET is set.
		 */
		private boolean enabled = true;

		/**
		 * Tells whether readiness and stopping are notified.
		 * @return {@code true} if they are
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether readiness and stopping are notified.
		 * @param enabled {@code false} to send neither
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Watchdog pings ({@code WATCHDOG=1}).
	 */
	public static class Watchdog {

		/**
		 * Whether to ping systemd's watchdog (WATCHDOG=1 every WATCHDOG_USEC/2 while the
		 * application is healthy) when WATCHDOG_USEC is set for this process.
		 */
		private boolean enabled = true;

		/**
		 * Tells whether the watchdog is pinged.
		 * @return {@code true} if it is
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets whether the watchdog is pinged.
		 * @param enabled {@code false} to send no pings
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
