package dev.udsboot.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;

/**
 * Sends notifications to systemd, as {@code sd_notify(3)} does: each one a datagram of
 * newline-separated {@code KEY=value} lines, from an unbound socket to {@code NOTIFY_SOCKET}. The
 * kernel attaches the sender's credentials, by which systemd tells the main process
 * ({@code NotifyAccess=main}) from others.
 * <p>
 * A notification that cannot be sent never fails the application: the first failure is one WARN
 * line, and further ones (a watchdog ping every few seconds) are logged at DEBUG until a
 * notification goes through again, which is logged at INFO. A send never blocks: a receiver whose
 * queue is full counts as a failure, so that shutdown cannot hang on systemd.
 */
public class SystemdNotifier {

	private static final Log logger = LogFactory.getLog(SystemdNotifier.class);

	private final String value;

	private final @Nullable NotifySocket socket;

	private final @Nullable String invalid;

	private boolean failing;

	/**
	 * Creates a notifier.
	 * @param notifySocket the value of {@code NOTIFY_SOCKET}
	 */
	public SystemdNotifier(String notifySocket) {
		this.value = notifySocket;
		NotifySocket parsed = null;
		String why = null;
		try {
			parsed = NotifySocket.parse(notifySocket);
		}
		catch (IllegalArgumentException ex) {
			why = ex.getMessage();
		}
		this.socket = parsed;
		this.invalid = why;
	}

	/**
	 * Sends one notification.
	 * @param state the lines, e.g. {@code READY=1\nSTATUS=Serving echo}
	 * @return {@code true} if the datagram was sent (systemd may still ignore it)
	 */
	public synchronized boolean notify(String state) {
		String failure = send(state);
		if (failure == null) {
			if (this.failing) {
				this.failing = false;
				logger.info("Notifying systemd through NOTIFY_SOCKET=" + this.value + " works again");
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Notified systemd: " + state.replace('\n', ' '));
			}
			return true;
		}
		if (!this.failing) {
			this.failing = true;
			logger.warn("Cannot notify systemd through NOTIFY_SOCKET=" + this.value + ": " + failure
					+ "; the application goes on, and further failures are logged at DEBUG");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Cannot notify systemd (" + state.replace('\n', ' ') + "): " + failure);
		}
		return false;
	}

	/**
	 * Returns the address notifications go to.
	 * @return the value of {@code NOTIFY_SOCKET}
	 */
	public String getNotifySocket() {
		return this.value;
	}

	private @Nullable String send(String state) {
		NotifySocket target = this.socket;
		if (target == null) {
			return String.valueOf(this.invalid);
		}
		ByteBuffer datagram = ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8));
		try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
			channel.configureBlocking(false);
			if (channel.send(datagram, target.toSocketAddress()) == 0) {
				return "its receive queue is full";
			}
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		}
	}

}
