package dev.udsboot.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.springframework.context.ApplicationContext;

/**
 * Sends notifications to systemd, as {@code sd_notify(3)} does: each one a datagram of
 * newline-separated {@code KEY=value} lines to {@code NOTIFY_SOCKET}, from one unbound socket that
 * is opened at the first notification and kept until {@link #close()} (so that a process out of
 * descriptors can still ping the watchdog; a socket closed under it, by an interrupt of a sending
 * thread, is opened again). The kernel attaches the sender's credentials, by which systemd tells
 * the main process ({@code NotifyAccess=main}) from others.
 * <p>
 * {@link #ready(String) READY=1} and {@link #stopping() STOPPING=1} are sent at most once per
 * application: every notifier created for a context of one hierarchy (a parent and its children)
 * shares that state, so that a child context cannot repeat what its parent said, nor the other
 * way round. Once {@code STOPPING=1} has gone, no {@link #watchdog() WATCHDOG=1} follows it, and
 * none goes while a watchdog of the hierarchy has reported the application not healthy.
 * <p>
 * A notification that cannot be sent never fails the application: the first failure is one WARN
 * line, and further ones (a watchdog ping every few seconds) are logged at DEBUG until a
 * notification goes through again, which is logged at INFO. A send never blocks: a receiver whose
 * queue is full counts as a failure, so that shutdown cannot hang on systemd; only
 * {@code READY=1} is tried again a few times, since a start that misses it times out.
 */
public class SystemdNotifier implements AutoCloseable {

	/**
	 * The most bytes of a notification: systemd reads at most {@code NOTIFY_BUFFER_MAX} (the
	 * kernel's {@code PIPE_BUF}, 4096) and ignores a longer datagram whole.
	 */
	public static final int MAX_DATAGRAM_BYTES = 4096;

	/** How often {@code READY=1} is tried while systemd's queue is full, and how long apart. */
	private static final int READY_ATTEMPTS = 10;

	private static final long READY_RETRY_MILLIS = 50;

	private static final String QUEUE_FULL = "its receive queue is full";

	private static final Log logger = LogFactory.getLog(SystemdNotifier.class);

	/** The state of each context hierarchy, by its root; gone with the root context. */
	private static final Map<ApplicationContext, Shared> HIERARCHIES = new WeakHashMap<>();

	private final @Nullable String value;

	private final @Nullable NotifySocket socket;

	private final @Nullable String invalid;

	private final Shared shared;

	private @Nullable AFUNIXDatagramChannel channel;

	private boolean closed;

	private boolean failing;

	/**
	 * Creates a notifier with state of its own: it sends {@code READY=1} and {@code STOPPING=1}
	 * once, whatever other notifiers send.
	 * @param notifySocket the value of {@code NOTIFY_SOCKET}
	 */
	public SystemdNotifier(String notifySocket) {
		this(notifySocket, new Shared());
	}

	/**
	 * Creates a notifier that shares what has been sent with every notifier of the context's
	 * hierarchy.
	 * @param notifySocket the value of {@code NOTIFY_SOCKET}, or {@code null} if it is not set
	 * (an AOT-processed application has this bean whether or not it runs under systemd): then
	 * nothing is sent, and nothing logged
	 * @param context the context the notifier serves
	 */
	public SystemdNotifier(@Nullable String notifySocket, ApplicationContext context) {
		this(notifySocket, sharedBy(context));
	}

	private SystemdNotifier(@Nullable String notifySocket, Shared shared) {
		this.value = notifySocket;
		this.shared = shared;
		NotifySocket parsed = null;
		String why = null;
		try {
			parsed = (notifySocket != null) ? NotifySocket.parse(notifySocket) : null;
		}
		catch (IllegalArgumentException ex) {
			why = ex.getMessage();
		}
		this.socket = parsed;
		this.invalid = why;
	}

	private static Shared sharedBy(ApplicationContext context) {
		ApplicationContext root = context;
		while (root.getParent() != null) {
			root = root.getParent();
		}
		synchronized (HIERARCHIES) {
			return HIERARCHIES.computeIfAbsent(root, (key) -> new Shared());
		}
	}

	/**
	 * Sends {@code READY=1}, {@code STATUS=} and {@code MAINPID=}, unless the application has
	 * already sent {@code READY=1} or {@code STOPPING=1}. While systemd's queue is full it is tried
	 * again, up to {@value #READY_ATTEMPTS} times {@value #READY_RETRY_MILLIS} ms apart.
	 * @param status what the application serves (see {@link StatusText})
	 * @return {@code true} if this call sent it; {@code false} if it had been sent, or could not be
	 */
	public boolean ready(String status) {
		synchronized (this.shared) {
			if (this.shared.ready || this.shared.stopping) {
				return false;
			}
			// once, even if it fails: a second READY=1 minutes later would be a surprise
			this.shared.ready = true;
			String state = "READY=1\nSTATUS=" + StatusText.of(status) + "\nMAINPID=" + ProcessHandle.current().pid();
			for (int attempt = 1;; attempt++) {
				String failure = sendOnce(state);
				if (failure != QUEUE_FULL || attempt == READY_ATTEMPTS) {
					return report(state, failure);
				}
				try {
					Thread.sleep(READY_RETRY_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return report(state, failure);
				}
			}
		}
	}

	/**
	 * Tells whether the application has sent {@code READY=1} or {@code STOPPING=1}, so that
	 * {@link #ready(String)} would send nothing.
	 * @return {@code true} if it has
	 */
	public boolean isReadyOrStopping() {
		synchronized (this.shared) {
			return this.shared.ready || this.shared.stopping;
		}
	}

	/**
	 * Sends {@code STOPPING=1} with {@code STATUS=Stopping}, unless the application has already
	 * sent it. One try: shutdown does not wait for systemd.
	 * @return {@code true} if this call sent it
	 */
	public boolean stopping() {
		synchronized (this.shared) {
			if (this.shared.stopping) {
				return false;
			}
			this.shared.stopping = true;
			return notify("STOPPING=1\nSTATUS=Stopping");
		}
	}

	/**
	 * Sends {@code WATCHDOG=1}, unless {@code STOPPING=1} has been sent or a watchdog of the
	 * application has reported it not healthy. One try.
	 * @return {@code true} if it was sent
	 */
	public boolean watchdog() {
		// under the lock that STOPPING=1 takes, so that no ping can follow it
		synchronized (this.shared) {
			if (this.shared.stopping || !this.shared.unhealthy.isEmpty()) {
				return false;
			}
			return notify("WATCHDOG=1");
		}
	}

	/**
	 * Records whether a part of the application is healthy: while any part of the application
	 * (any context of its hierarchy) is not, no notifier of it pings the watchdog, so that a
	 * healthy context cannot hide one that is not.
	 * @param part the part, e.g. a watchdog
	 * @param healthy whether it is healthy now; a part that stops watching reports {@code true}
	 */
	public void health(Object part, boolean healthy) {
		synchronized (this.shared) {
			if (healthy) {
				this.shared.unhealthy.remove(part);
			}
			else {
				this.shared.unhealthy.add(part);
			}
		}
	}

	/**
	 * Sends one notification, once, as it is.
	 * @param state the lines, e.g. {@code READY=1\nSTATUS=Serving echo}
	 * @return {@code true} if the datagram was sent (systemd may still ignore it)
	 */
	public boolean notify(String state) {
		return report(state, sendOnce(state));
	}

	/**
	 * Returns the address notifications go to.
	 * @return the value of {@code NOTIFY_SOCKET}, or {@code null} if it is not set
	 */
	public @Nullable String getNotifySocket() {
		return this.value;
	}

	/**
	 * Closes the socket; nothing is sent afterwards.
	 */
	@Override
	public synchronized void close() {
		this.closed = true;
		closeChannel();
	}

	private synchronized boolean report(String state, @Nullable String failure) {
		if (this.value == null) {
			// not under systemd: nothing to tell it, and nothing worth a log line
			return false;
		}
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

	/** Sends without blocking; returns {@code null}, {@link #QUEUE_FULL}, or why it failed. */
	private synchronized @Nullable String sendOnce(String state) {
		NotifySocket target = this.socket;
		if (target == null) {
			return String.valueOf(this.invalid);
		}
		byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > MAX_DATAGRAM_BYTES) {
			return "the notification is " + bytes.length + " bytes, more than systemd reads (" + MAX_DATAGRAM_BYTES + ")";
		}
		if (this.closed) {
			return "the notifier is closed";
		}
		try {
			try {
				return send(bytes, target);
			}
			catch (ClosedByInterruptException ex) {
				// this thread is interrupted: a new socket would be closed the same way
				closeChannel();
				throw ex;
			}
			catch (ClosedChannelException ex) {
				// closed by an interrupt of another thread while it sent: once more, on a new socket
				closeChannel();
				return send(bytes, target);
			}
		}
		catch (IOException | RuntimeException ex) {
			return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		}
	}

	private @Nullable String send(byte[] bytes, NotifySocket target) throws IOException {
		AFUNIXDatagramChannel channel = this.channel;
		if (channel == null || !channel.isOpen()) {
			channel = AFUNIXDatagramChannel.open();
			this.channel = channel;
			channel.configureBlocking(false);
		}
		return (channel.send(ByteBuffer.wrap(bytes), target.toSocketAddress()) == 0) ? QUEUE_FULL : null;
	}

	private void closeChannel() {
		AFUNIXDatagramChannel channel = this.channel;
		this.channel = null;
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				logger.debug("Cannot close the socket to NOTIFY_SOCKET=" + this.value, ex);
			}
		}
	}

	/** What an application has told systemd, and what its watchdogs know, for all its notifiers. */
	private static final class Shared {

		private boolean ready;

		private boolean stopping;

		private final Set<Object> unhealthy = new HashSet<>();

	}

}
