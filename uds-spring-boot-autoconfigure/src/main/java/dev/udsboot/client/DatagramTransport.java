package dev.udsboot.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.client.StreamClientConnection.Reply;
import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.DatagramChannels;
import dev.udsboot.socket.DescriptorReception;
import dev.udsboot.socket.ReceivedDescriptors;
import dev.udsboot.socket.SocketFileBinder;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.UdsAddress;

/**
 * Exchanges datagrams. By default every exchange that awaits a reply binds a channel of its own
 * to a fresh random abstract name, so concurrent exchanges never see each other's replies; with a
 * fixed reply address one channel is bound to it (a path through {@link SocketFileBinder}, with its
 * rules for files that are not ours, mode {@code rw-rw----}) and exchanges take turns on it: what
 * waits there from before is dropped before each request is sent, and after a failed exchange the
 * channel is closed and bound anew, so a late reply never answers the next request. (The sender of
 * a reply is not checked: servers may answer from another socket than the one addressed.)
 */
final class DatagramTransport implements ClientTransport {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final UdsAddress target;

	private final int maxMessageSize;

	private final int maxFileDescriptors;

	private final Duration timeout;

	private final int timeoutMillis;

	private final Semaphore permits;

	private final @Nullable UdsAddress replyAddress;

	private final ReentrantLock fixedReplyLock = new ReentrantLock();

	private @Nullable AFUNIXDatagramChannel fixedChannel;

	private @Nullable BoundSocketFile<AFUNIXDatagramChannel> fixedFile;

	/** Receive buffers of max-message-size + 1, kept for reuse: at most one per exchange in progress. */
	private final Deque<ByteBuffer> buffers = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	DatagramTransport(UdsAddress target, int maxMessageSize, int maxFileDescriptors, Duration timeout,
			int maxConcurrent, @Nullable UdsAddress replyAddress) {
		this.target = target;
		this.maxMessageSize = maxMessageSize;
		this.maxFileDescriptors = maxFileDescriptors;
		this.timeout = timeout;
		this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		this.permits = new Semaphore(maxConcurrent);
		this.replyAddress = replyAddress;
	}

	@Override
	public @Nullable Reply exchange(byte[] payload, List<FileDescriptor> descriptors, boolean awaitReply) {
		if (this.closed) {
			throw new IllegalStateException("The UdsTemplate for " + this.target + " is closed");
		}
		acquire();
		try {
			if (awaitReply && this.replyAddress != null) {
				lockFixedReplyAddress();
				try {
					if (this.closed) {
						throw new IllegalStateException("The UdsTemplate for " + this.target + " is closed");
					}
					AFUNIXDatagramChannel channel = fixedChannel();
					discardWaiting(channel);
					return exchangeOn(channel, payload, descriptors, true);
				}
				catch (IOException | RuntimeException ex) {
					// a late reply to this request must not answer the next one: a new channel
					closeFixed();
					throw ex;
				}
				finally {
					this.fixedReplyLock.unlock();
				}
			}
			try (AFUNIXDatagramChannel channel = open()) {
				if (awaitReply) {
					bind(channel, AFUNIXSocketAddress
						.inAbstractNamespace("uds-client-" + Long.toUnsignedString(RANDOM.nextLong(), 36)));
				}
				return exchangeOn(channel, payload, descriptors, awaitReply);
			}
		}
		catch (IOException ex) {
			throw new UdsClientException("A datagram exchange with " + this.target + " failed: " + ex.getMessage(), ex);
		}
		finally {
			this.permits.release();
		}
	}

	private AFUNIXDatagramChannel open() throws IOException {
		AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
		try {
			DatagramChannels.setSendTimeout(channel, this.timeout);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private AFUNIXDatagramChannel fixedChannel() throws IOException {
		AFUNIXDatagramChannel channel = this.fixedChannel;
		if (channel != null) {
			return channel;
		}
		UdsAddress address = this.replyAddress;
		if (address == null) {
			throw new IllegalStateException("no fixed reply address");
		}
		if (address.isAbstract()) {
			channel = open();
			try {
				bind(channel, address.toSocketAddress());
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}
		else {
			BoundSocketFile<AFUNIXDatagramChannel> file = new SocketFileBinder()
				.bindInPlace(java.util.Objects.requireNonNull(address.path()), SocketFileOptions.defaults(), this::open);
			this.fixedFile = file;
			channel = file.socket();
		}
		this.fixedChannel = channel;
		return channel;
	}

	private @Nullable Reply exchangeOn(AFUNIXDatagramChannel channel, byte[] payload,
			List<FileDescriptor> descriptors, boolean awaitReply) throws IOException {
		DescriptorReception reception = (awaitReply && this.maxFileDescriptors > 0)
				? ReceivedDescriptors.enable(channel) : DescriptorReception.off();
		if (!descriptors.isEmpty()) {
			DatagramChannels.setOutboundFileDescriptors(channel, descriptors.toArray(new FileDescriptor[0]));
		}
		int sent;
		try {
			sent = channel.send(ByteBuffer.wrap(payload), this.target.toSocketAddress());
		}
		catch (IOException ex) {
			throw ClientFailures.connectFailed(this.target, this.timeoutMillis, ex);
		}
		finally {
			if (!descriptors.isEmpty()) {
				DatagramChannels.setOutboundFileDescriptors(channel, null);
			}
		}
		if (sent < payload.length) {
			throw new UdsClientTimeoutException("Could not send to " + this.target + " within " + this.timeoutMillis
					+ " ms: its queue stayed full", null);
		}
		if (!awaitReply) {
			return null;
		}
		return receive(channel, reception);
	}

	private void bind(AFUNIXDatagramChannel channel, AFUNIXSocketAddress address) {
		try {
			channel.bind(address);
		}
		catch (IOException ex) {
			throw new UdsClientException("Cannot bind the reply address " + address + " for datagrams to "
					+ this.target + ": " + ex.getMessage(), ex);
		}
	}

	private void lockFixedReplyAddress() {
		awaitTurn(this.fixedReplyLock::tryLock, "The reply address " + this.replyAddress,
				"exchanges with a fixed reply address take turns", "for the reply address " + this.replyAddress);
	}

	/**
	 * Drops whatever waits on a fixed reply address from before this exchange (a late or second
	 * answer to an earlier one), closing any descriptors it brought.
	 */
	private void discardWaiting(AFUNIXDatagramChannel channel) throws IOException {
		DescriptorReception reception = (this.maxFileDescriptors > 0) ? ReceivedDescriptors.enable(channel)
				: DescriptorReception.off();
		ByteBuffer scratch = takeBuffer();
		channel.configureBlocking(false);
		try {
			while (true) {
				scratch.clear();
				AFUNIXSocketAddress from = channel.receive(scratch);
				ReceivedDescriptors.close(ReceivedDescriptors.takeReceived(channel, reception));
				if (from == null && scratch.position() == 0) {
					return;
				}
			}
		}
		finally {
			channel.configureBlocking(true);
			this.buffers.offerFirst(scratch);
		}
	}

	private Reply receive(AFUNIXDatagramChannel channel, DescriptorReception reception) throws IOException {
		ByteBuffer buffer = takeBuffer();
		try {
			return receiveInto(buffer, channel, reception);
		}
		finally {
			this.buffers.offerFirst(buffer);
		}
	}

	/** A receive buffer one byte over the limit, so a larger reply is seen rather than cut silently. */
	private ByteBuffer takeBuffer() {
		ByteBuffer buffer = this.buffers.pollFirst();
		if (buffer == null) {
			return ByteBuffer.allocate(this.maxMessageSize + 1);
		}
		buffer.clear();
		return buffer;
	}

	private Reply receiveInto(ByteBuffer buffer, AFUNIXDatagramChannel channel, DescriptorReception reception)
			throws IOException {
		channel.socket().setSoTimeout(this.timeoutMillis);
		AFUNIXSocketAddress from;
		try {
			from = channel.receive(buffer);
		}
		catch (SocketTimeoutException ex) {
			throw noReply();
		}
		List<FileDescriptor> received = ReceivedDescriptors.takeReceived(channel, reception);
		if (from == null && buffer.position() == 0 && received.isEmpty()) {
			// what junixsocket returns when a receive times out
			throw noReply();
		}
		buffer.flip();
		if (buffer.remaining() > this.maxMessageSize) {
			ReceivedDescriptors.close(received);
			throw new UdsReplyTooLargeException("A reply from " + this.target + " was larger than max-message-size "
					+ this.maxMessageSize + " bytes (uds.client.max-message-size)", null);
		}
		if (received.size() > this.maxFileDescriptors) {
			ReceivedDescriptors.close(received);
			throw new UdsInvalidReplyException("A reply from " + this.target + " carried " + received.size()
					+ " file descriptors, over max-file-descriptors " + this.maxFileDescriptors
					+ "; they were closed", null);
		}
		return new Reply(Arrays.copyOf(buffer.array(), buffer.remaining()), received);
	}

	private UdsClientTimeoutException noReply() {
		return new UdsClientTimeoutException("No reply from " + this.target + " within " + this.timeoutMillis + " ms",
				null);
	}

	private void acquire() {
		awaitTurn(this.permits::tryAcquire, "All exchanges with " + this.target, "uds.client.max-connections",
				"to send to " + this.target);
	}

	/**
	 * Waits up to the timeout for a turn: the fixed reply address, or a place among the exchanges.
	 * @param turn the timed wait (a lock's or a semaphore's)
	 * @param what what stayed busy, for the timeout's message
	 * @param why why turns are taken, for the timeout's message
	 * @param waitingFor what was waited for, for the interruption's message
	 */
	private void awaitTurn(TimedTurn turn, String what, String why, String waitingFor) {
		try {
			if (!turn.tryFor(this.timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new UdsClientTimeoutException(
						what + " stayed busy for " + this.timeoutMillis + " ms (" + why + ")", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new UdsClientException("Interrupted while waiting " + waitingFor, ex);
		}
	}

	/** A lock's or a semaphore's timed attempt. */
	@FunctionalInterface
	private interface TimedTurn {

		boolean tryFor(long time, TimeUnit unit) throws InterruptedException;

	}

	@Override
	public void close() {
		this.closed = true;
		this.fixedReplyLock.lock();
		try {
			closeFixed();
		}
		finally {
			this.fixedReplyLock.unlock();
		}
	}

	private void closeFixed() {
		BoundSocketFile<AFUNIXDatagramChannel> file = this.fixedFile;
		AFUNIXDatagramChannel channel = this.fixedChannel;
		this.fixedFile = null;
		this.fixedChannel = null;
		try {
			if (file != null) {
				file.close();
			}
			else if (channel != null) {
				channel.close();
			}
		}
		catch (IOException ex) {
			// closing releases the descriptor whatever it reports
		}
	}

}
