package dev.udsboot.systemd;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether the service is as it should be for one notification: ready to send
 * {@code READY=1}, or healthy enough to send {@code WATCHDOG=1}. The systemd package does not know
 * what makes the service ready or healthy; the auto-configuration does.
 */
@FunctionalInterface
public interface ServiceCheck {

	/**
	 * Checks the service now.
	 * @return {@code null} if all is well; otherwise why not, for a log line
	 */
	@Nullable String problem();

}
