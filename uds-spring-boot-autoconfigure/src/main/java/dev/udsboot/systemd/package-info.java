/**
 * Tells systemd how the service is doing, through {@code NOTIFY_SOCKET} (the {@code sd_notify}
 * protocol, spoken with junixsocket alone): {@code READY=1} once the application accepts traffic,
 * {@code STOPPING=1} when shutdown begins, {@code WATCHDOG=1} while it is healthy. Knows no
 * listener, container or handler: what "ready" and "healthy" mean is handed in as
 * {@link dev.udsboot.systemd.ServiceCheck}s by the auto-configuration.
 */
@NullMarked
package dev.udsboot.systemd;

import org.jspecify.annotations.NullMarked;
