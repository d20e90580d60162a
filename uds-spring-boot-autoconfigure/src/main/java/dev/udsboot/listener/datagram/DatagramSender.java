package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.socket.DatagramChannels;

/**
 * Sends datagrams from a listener's socket to the addresses of senders, through a duplicate of
 * its descriptor (see {@link DatagramChannels#duplicateForSending}). A datagram that cannot be
 * delivered is dropped, counted and logged at debug, never thrown: the sender did not bind an
 * address, has gone, or does not read. A sender that did not read within the channel's send
 * timeout is not waited for again for a while, so one that floods the listener without reading
 * the replies costs it one timeout per {@value #STALLED_SECONDS} seconds, not one per datagram.
 * <p>
 * Replies waiting in their receivers' queues all count against the listener's one send buffer
 * (see {@link DatagramChannels#prepareForServing}). When enough senders do not read to fill it, every reply
 * would wait the whole timeout, and the listener would handle ten datagrams a second; so for
 * {@value #STALLED_SECONDS} seconds after any send timed out, sends wait only
 * {@link #PRESSED_SEND_TIMEOUT}. Thread-safe.
 */
final class DatagramSender {

	/** How long a send waits for room in the sender's queue. */
	static final Duration SEND_TIMEOUT = Duration.ofMillis(100);

	/** How long a send waits for room while sends are timing out. */
	static final Duration PRESSED_SEND_TIMEOUT = Duration.ofMillis(5);

	private static final int STALLED_SECONDS = 1;

	private static final long STALLED_NANOS = Duration.ofSeconds(STALLED_SECONDS).toNanos();

	private static final int STALLED_CLEANUP_SIZE = 1024;

	private static final Log logger = LogFactory.getLog(DatagramSender.class);

	private final AFUNIXDatagramChannel channel;

	/** Where sends go out (guarded by the send lock); renewed after junixsocket closes it on a failed send. */
	private DatagramChannels.SendingChannel out;

	private final UdsListenerDefinition definition;

	private final UdsListenerStatistics statistics;

	/**
	 * One send at a time: junixsocket keeps outbound descriptors on the channel until the next
	 * send, which must not be another thread's; and it may close the channel's descriptor when a
	 * send fails, which must not happen under another thread's send.
	 */
	private final Lock sendLock = new ReentrantLock();

	/** Senders that did not read in time, until when they are not waited for. */
	private final Map<AFUNIXSocketAddress, Long> stalled = new ConcurrentHashMap<>();

	/** Set once the listener stops (guarded by the send lock): nothing is sent or renewed after. */
	private boolean closed;

	/** Until when sends wait only {@link #PRESSED_SEND_TIMEOUT} (guarded by the send lock). */
	private long pressedUntil;

	/** Whether the socket's send timeout is {@link #PRESSED_SEND_TIMEOUT} (guarded by the send lock). */
	private boolean pressed;

	DatagramSender(AFUNIXDatagramChannel channel, UdsListenerDefinition definition, UdsListenerStatistics statistics)
			throws IOException {
		this.channel = channel;
		this.out = DatagramChannels.duplicateForSending(channel);
		this.definition = definition;
		this.statistics = statistics;
	}

	/**
	 * Sends one datagram.
	 * @param to the sender's address, or {@code null} if it has none
	 * @param payload the payload; an empty one sends nothing (junixsocket sends no empty datagram)
	 * @param descriptors descriptors to attach; they stay the caller's
	 * @throws IllegalArgumentException for descriptors with an empty payload
	 */
	void send(@Nullable AFUNIXSocketAddress to, byte[] payload, List<FileDescriptor> descriptors) {
		if (payload.length == 0) {
			if (!descriptors.isEmpty()) {
				throw new IllegalArgumentException("Cannot send file descriptors in an empty datagram: junixsocket "
						+ "sends no empty datagram");
			}
			logger.debug("Sent no reply on " + this.definition.describe() + ": an empty datagram cannot be sent");
			return;
		}
		if (to == null) {
			this.statistics.replyUnaddressed();
			logger.debug("Dropped a reply on " + this.definition.describe()
					+ ": the sender did not bind an address to answer");
			return;
		}
		String failure = deliver(to, payload, descriptors);
		if (failure == null) {
			this.statistics.messageSent(payload.length);
		}
		else {
			this.statistics.replyFailed();
			if (logger.isDebugEnabled()) {
				logger.debug("Dropped a reply to " + to + " on " + this.definition.describe() + ": " + failure);
			}
		}
	}

	/**
	 * Sends the reply to a datagram the container's interceptor took (a health probe), uncounted:
	 * a probe that gets no answer fails by itself.
	 * @param to the sender's address
	 * @param payload the reply
	 */
	void sendUncounted(AFUNIXSocketAddress to, byte[] payload) {
		String failure = deliver(to, payload, List.of());
		if (failure != null) {
			logger.debug("Could not answer an intercepted datagram on " + this.definition.describe() + ": " + failure);
		}
	}

	/** @return {@code null} once sent, or why it was not */
	private @Nullable String deliver(AFUNIXSocketAddress to, byte[] payload, List<FileDescriptor> descriptors) {
		if (isStalled(to)) {
			return "it did not read its earlier replies";
		}
		int written;
		Duration waited;
		this.sendLock.lock();
		try {
			if (this.closed) {
				return "the listener has stopped";
			}
			DatagramChannels.SendingChannel out = this.out;
			try {
				waited = adjustSendTimeout(out);
				written = descriptors.isEmpty() ? out.channel().send(ByteBuffer.wrap(payload), to)
						: sendWithDescriptors(out.channel(), to, payload, descriptors);
			}
			catch (IOException ex) {
				renew(out);
				return ex.getMessage();
			}
			if (written < payload.length) {
				this.pressedUntil = System.nanoTime() + STALLED_NANOS;
			}
		}
		finally {
			this.sendLock.unlock();
		}
		if (written < payload.length) {
			markStalled(to);
			return "it did not read within " + waited.toMillis() + " ms, or the listener's send buffer is "
					+ "full of replies other senders have not read";
		}
		return null;
	}

	/**
	 * Shortens the socket's send timeout while sends are timing out, and restores it after; called
	 * holding the send lock.
	 * @return the timeout the next send waits
	 */
	private Duration adjustSendTimeout(DatagramChannels.SendingChannel out) throws IOException {
		boolean shouldBePressed = this.pressedUntil != 0 && System.nanoTime() - this.pressedUntil < 0;
		if (shouldBePressed != this.pressed) {
			DatagramChannels.setSendTimeout(out.channel(), shouldBePressed ? PRESSED_SEND_TIMEOUT : SEND_TIMEOUT);
			this.pressed = shouldBePressed;
		}
		return this.pressed ? PRESSED_SEND_TIMEOUT : SEND_TIMEOUT;
	}

	private static int sendWithDescriptors(AFUNIXDatagramChannel out, AFUNIXSocketAddress to, byte[] payload,
			List<FileDescriptor> descriptors) throws IOException {
		DatagramChannels.setOutboundFileDescriptors(out, descriptors.toArray(new FileDescriptor[0]));
		try {
			return out.send(ByteBuffer.wrap(payload), to);
		}
		finally {
			DatagramChannels.setOutboundFileDescriptors(out, null);
		}
	}

	/**
	 * Replaces the channel a send failed on: junixsocket may have closed its descriptor (it does
	 * on "connection refused"), and the next send must not find it closed. Called holding the
	 * send lock.
	 */
	private void renew(DatagramChannels.SendingChannel failed) {
		if (!this.channel.isOpen()) {
			return;
		}
		try {
			this.out = DatagramChannels.duplicateForSending(this.channel);
		}
		catch (IOException ex) {
			logger.warn("Could not renew the sending channel of " + this.definition.describe() + ": " + ex);
			return;
		}
		failed.close();
	}

	/** Closes the sending channel; the listener's own channel is closed by its container. */
	void close() {
		this.sendLock.lock();
		try {
			this.closed = true;
			this.out.close();
		}
		finally {
			this.sendLock.unlock();
		}
	}

	private boolean isStalled(AFUNIXSocketAddress to) {
		if (this.stalled.isEmpty()) {
			return false;
		}
		Long until = this.stalled.get(to);
		if (until == null) {
			return false;
		}
		if (System.nanoTime() - until < 0) {
			return true;
		}
		this.stalled.remove(to, until);
		return false;
	}

	private void markStalled(AFUNIXSocketAddress to) {
		long now = System.nanoTime();
		if (this.stalled.size() >= STALLED_CLEANUP_SIZE) {
			this.stalled.values().removeIf((until) -> now - until >= 0);
		}
		this.stalled.put(to, now + STALLED_NANOS);
	}

}
