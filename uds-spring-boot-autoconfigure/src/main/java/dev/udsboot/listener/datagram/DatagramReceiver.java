package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.GracefulStop;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.source.ListenerSocket;
import dev.udsboot.socket.DatagramChannels;
import dev.udsboot.socket.DescriptorReception;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * One run of a datagram listener, from start to stop: its socket, its threads taking turns to
 * receive, and their state; each thread hands what it received to the {@link DatagramDispatcher}.
 * A restart makes a new run, whatever the old one is still finishing.
 */
final class DatagramReceiver {

	private final DatagramListenerContainer container;

	private final DatagramDispatcher dispatcher;

	private final RateLimitedLog receiveFailures;

	private final ListenerSocket<AFUNIXDatagramChannel> socket;

	private final AFUNIXDatagramChannel channel;

	private final DescriptorReception ancillaryData;

	private final boolean takesDescriptors;

	private final DatagramSender sender;

	private final StopDatagram stop;

	/** Held by the one thread waiting in receive. */
	private final ReentrantLock receiveLock = new ReentrantLock();

	private final AtomicInteger receivers = new AtomicInteger();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean receiving = true;

	private @Nullable Runnable onClosed;

	private boolean closed;

	/**
	 * Creates a run on a bound socket; on failure, the socket is closed.
	 * @param container the container it runs for: its listener, statistics and interceptor
	 * @param socket the listener's socket, bound
	 * @param dispatcher handles what is received
	 * @param receiveFailures the container's log of failed receives
	 * @throws UdsStartupException if the sockets for replies and for stopping cannot be opened
	 */
	DatagramReceiver(DatagramListenerContainer container, ListenerSocket<AFUNIXDatagramChannel> socket,
			DatagramDispatcher dispatcher, RateLimitedLog receiveFailures) {
		this.container = container;
		this.dispatcher = dispatcher;
		this.receiveFailures = receiveFailures;
		this.socket = socket;
		this.channel = socket.socket();
		this.takesDescriptors = dispatcher.acceptsFileDescriptors();
		UdsListenerDefinition definition = container.getDefinition();
		DatagramSender sender = null;
		try {
			DatagramChannels.prepareForServing(this.channel, DatagramSender.SEND_TIMEOUT);
			this.ancillaryData = this.takesDescriptors ? ReceivedDescriptors.enable(this.channel)
					: DescriptorReception.off();
			sender = new DatagramSender(this.channel, definition, container.getStatistics());
			this.stop = StopDatagram.open(socket, definition);
		}
		catch (IOException | RuntimeException ex) {
			// nothing of this run may outlive a failed start: not the bound socket, not the sender's
			if (sender != null) {
				sender.close();
			}
			socket.close();
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new UdsStartupException("Cannot start " + definition.describe()
					+ ": its socket is bound, but the sockets for replies and for stopping could not be opened: "
					+ ex, "Check the open-files limit of the process (ulimit -n) and the cause below.", ex);
		}
		this.sender = sender;
	}

	/**
	 * Tells whether its threads still receive.
	 * @return {@code false} once stopping began
	 */
	boolean isReceiving() {
		return this.receiving;
	}

	/** Starts the receiving threads, concurrency of them. */
	void start() {
		UdsListenerDefinition definition = this.container.getDefinition();
		CustomizableThreadFactory factory = new CustomizableThreadFactory("uds-" + definition.name() + "-");
		for (int i = 0; i < definition.concurrency(); i++) {
			Thread thread = factory.newThread(this::receiveLoop);
			this.receivers.incrementAndGet();
			try {
				thread.start();
			}
			catch (RuntimeException | Error ex) {
				this.receivers.decrementAndGet();
				throw ex;
			}
			this.threads.add(thread);
		}
	}

	private void receiveLoop() {
		try {
			// one byte over the limit tells a datagram over it; never too small for the stop token
			ByteBuffer buffer = ByteBuffer.allocateDirect(
					Math.max(this.container.getDefinition().maxMessageSize(), StopDatagram.BYTES) + 1);
			while (true) {
				Datagram datagram = null;
				IOException failure = null;
				this.receiveLock.lock();
				try {
					if (!this.receiving) {
						return;
					}
					datagram = receive(buffer);
				}
				catch (IOException ex) {
					failure = ex;
				}
				finally {
					this.receiveLock.unlock();
				}
				if (failure != null) {
					receiveFailed(failure);
				}
				else if (datagram != null) {
					handleSafely(datagram);
				}
			}
		}
		finally {
			if (this.receivers.decrementAndGet() == 0) {
				closeIfDone();
			}
		}
	}

	private void receiveFailed(IOException failure) {
		if (!this.receiving || !this.channel.isOpen()) {
			this.receiving = false;
			return;
		}
		this.receiveFailures.warn((count) -> count + " receive(s) failed on "
				+ this.container.getDefinition().describe() + "; the latest: " + failure);
		pause();
	}

	/**
	 * Handles a datagram; nothing a handler does ends this thread (the dispatcher catches every
	 * failure). An interrupt it leaves set is cleared: junixsocket closes a channel that an
	 * interrupted thread receives on, which would end the listener.
	 */
	private void handleSafely(Datagram datagram) {
		try {
			this.dispatcher.dispatch(datagram, this.sender);
		}
		finally {
			if (this.receiving) {
				Thread.interrupted();
			}
		}
	}

	/**
	 * Receives one datagram.
	 * @return the datagram, or {@code null} if there is none to handle (it was dropped, or it
	 * was our stop datagram)
	 * @throws IOException if receiving failed
	 */
	private @Nullable Datagram receive(ByteBuffer buffer) throws IOException {
		buffer.clear();
		AFUNIXSocketAddress received = this.channel.receive(buffer);
		List<FileDescriptor> descriptors = this.takesDescriptors
				? ReceivedDescriptors.takeReceived(this.channel, this.ancillaryData) : List.of();
		if (!this.receiving) {
			// woken by a close, not by a datagram
			ReceivedDescriptors.close(descriptors);
			return null;
		}
		AFUNIXSocketAddress from;
		try {
			from = DatagramChannels.replyAddress(received);
		}
		catch (IOException | RuntimeException ex) {
			ReceivedDescriptors.close(descriptors);
			throw ex;
		}
		buffer.flip();
		if (this.stop.isStopDatagram(buffer)) {
			ReceivedDescriptors.close(descriptors);
			this.receiving = false;
			return null;
		}
		InterceptedReplies intercepted = InterceptedReplies.intercept(this.container.getInterceptor(),
				from, buffer, this.sender);
		if (intercepted != null) {
			// the starter's own (a health probe): its replies are sent by the dispatcher, outside the receive lock
			ReceivedDescriptors.close(descriptors);
			return new Datagram(new byte[0], from, List.of(), intercepted);
		}
		if (buffer.remaining() > this.container.getDefinition().maxMessageSize()) {
			ReceivedDescriptors.close(descriptors);
			this.dispatcher.rejectOversized(from);
			return null;
		}
		byte[] payload = new byte[buffer.remaining()];
		buffer.get(payload);
		return new Datagram(payload, from, descriptors, null);
	}

	/**
	 * Stops receiving once every datagram already queued has been handled, then closes the
	 * socket and runs the callback.
	 * @param callback told once the socket is closed
	 */
	void drain(Runnable callback) {
		synchronized (this) {
			this.onClosed = callback;
		}
		if (this.stop.send(Duration.ofMillis(1))) {
			closeIfDone();
			return;
		}
		// the queue is full behind a slow handler: wait for room on a thread of its own, so that
		// the caller (the registry, stopping every listener) does not wait here
		new CustomizableThreadFactory("uds-" + this.container.getDefinition().name() + "-stop-")
			.newThread(() -> {
				if (!this.stop.send(GracefulStop.TIMEOUT)) {
					closeSocket();
				}
				closeIfDone();
			})
			.start();
	}

	/** Stops at once: handlers still running are interrupted. */
	void abort() {
		this.receiving = false;
		// wakes the receiving thread; closing the channel under a blocked receive is not enough
		this.stop.send(Duration.ofSeconds(1));
		for (Thread thread : this.threads) {
			thread.interrupt();
		}
		closeSocket();
	}

	/** Closes the socket and the sending channel, once, whichever path gets here first. */
	private synchronized void closeSocket() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.receiving = false;
		this.sender.close();
		this.stop.close();
		this.socket.close();
	}

	/** Closes the socket once no thread receives any more, and tells whoever waits for it. */
	private void closeIfDone() {
		Runnable callback;
		synchronized (this) {
			if (this.receivers.get() > 0) {
				return;
			}
			closeSocket();
			callback = this.onClosed;
			this.onClosed = null;
		}
		if (callback != null) {
			callback.run();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
