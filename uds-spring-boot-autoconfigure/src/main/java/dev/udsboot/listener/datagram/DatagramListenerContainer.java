package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.udsboot.UdsStartupException;
import dev.udsboot.framing.FrameRejectedException;
import dev.udsboot.listener.AbstractUdsListenerContainer;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.GracefulStop;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.exception.UdsInvalidRequestException;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;
import dev.udsboot.listener.source.ListenerSocket;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.socket.DatagramChannels;
import dev.udsboot.socket.DescriptorReception;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * Serves a datagram listener: {@code concurrency} platform threads take turns receiving (one waits
 * in the kernel while the others run handlers), and each handles the datagram it received on its
 * own thread, so a datagram costs no hand-off. With one thread, datagrams are handled in arrival
 * order.
 * <p>
 * A datagram larger than max-message-size is detected (it is received into a buffer one byte
 * larger) and dropped, counted and logged, never truncated. A handler's non-null return value is
 * sent to the sender's address; see {@link DatagramSender} for replies that cannot be delivered.
 * <p>
 * Graceful stop: the socket file is removed, so new senders find nothing there; a datagram of our
 * own is then queued behind those already received by the kernel, and every datagram before it is
 * handled and answered before the socket closes.
 */
public class DatagramListenerContainer extends AbstractUdsListenerContainer {

	private static final Log logger = LogFactory.getLog(DatagramListenerContainer.class);


	private static final int STOP_TOKEN_BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ListenerSocketSource source;

	private final UdsMessageListener messageListener;


	private final RateLimitedLog oversized = rateLimited(logger);

	private final RateLimitedLog tooManyDescriptors = rateLimited(logger);

	private final Object monitor = new Object();

	private final RateLimitedLog receiveFailures = rateLimited(logger);

	private final RateLimitedLog invalidPayloads = rateLimited(logger);

	private final RateLimitedLog handlerFailures = rateLimited(logger);

	private volatile @Nullable Run current;

	/** Runs stopped but still finishing their queued datagrams: {@link #close()} aborts them too. */
	private final Set<Run> draining = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a container for a listener's own socket source; nothing is bound until
	 * {@link #start()}.
	 * @param definition the listener to serve
	 * @param messageListener receives each datagram
	 */
	public DatagramListenerContainer(UdsListenerDefinition definition, UdsMessageListener messageListener) {
		this(definition, definition.newSocketSource(), messageListener);
	}

	/**
	 * Creates a container; nothing is bound until {@link #start()}.
	 * @param definition the listener to serve
	 * @param source where its socket comes from
	 * @param messageListener receives each datagram
	 */
	public DatagramListenerContainer(UdsListenerDefinition definition, ListenerSocketSource source,
			UdsMessageListener messageListener) {
		super(definition);
		this.source = source;
		this.messageListener = messageListener;
	}

	@Override
	public int getActiveConnections() {
		return 0;
	}

	@Override
	public ListenerSocketSource getSource() {
		return this.source;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (isRunning()) {
				return;
			}
			Run run = new Run(this.source.openDatagramChannel(() -> DatagramChannels.open(DatagramSender.SEND_TIMEOUT)));
			try {
				run.start();
			}
			catch (RuntimeException | Error ex) {
				run.abort();
				throw ex;
			}
			this.current = run;
			logger.info("Started " + getDefinition().describe() + " (datagram, " + getDefinition().concurrency()
					+ " thread" + ((getDefinition().concurrency() == 1) ? "" : "s") + ")");
		}
	}

	@Override
	public boolean isRunning() {
		Run run = this.current;
		return run != null && run.receiving;
	}

	@Override
	public void stop(Runnable callback) {
		Run run;
		synchronized (this.monitor) {
			run = this.current;
			this.current = null;
		}
		if (run == null) {
			callback.run();
			return;
		}
		this.draining.add(run);
		run.drain(() -> {
			this.draining.remove(run);
			logger.info("Stopped " + getDefinition().describe());
			callback.run();
		});
	}

	@Override
	public void close() {
		Run run;
		synchronized (this.monitor) {
			run = this.current;
			this.current = null;
		}
		if (run != null) {
			run.abort();
		}
		for (Run stopping : this.draining) {
			stopping.abort();
		}
	}

	/**
	 * One run of the listener, from start to stop: its socket, its threads and their state. A
	 * restart makes a new run, whatever the old one is still finishing.
	 */
	private final class Run {

		private final ListenerSocket<AFUNIXDatagramChannel> socket;

		private final AFUNIXDatagramChannel channel;

		private final DescriptorReception ancillaryData;

		private final boolean takesDescriptors;

		private final DatagramSender sender;

		/**
		 * Sends the stop datagram: connected while the socket file is surely ours, so it reaches
		 * this socket whatever happens to the file later.
		 */
		private final AFUNIXDatagramChannel stopper;

		/** Held by the one thread waiting in receive. */
		private final ReentrantLock receiveLock = new ReentrantLock();

		private final AtomicInteger receivers = new AtomicInteger();

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean receiving = true;

		/** The payload of our own stop datagram: random, so no client can stop the listener. */
		private final byte[] stopToken = new byte[STOP_TOKEN_BYTES];

		private @Nullable Runnable onClosed;

		private boolean closed;

		Run(ListenerSocket<AFUNIXDatagramChannel> socket) {
			RANDOM.nextBytes(this.stopToken);
			this.socket = socket;
			this.channel = socket.socket();
			this.takesDescriptors = DatagramListenerContainer.this.messageListener.acceptsFileDescriptors();
			this.ancillaryData = this.takesDescriptors ? ReceivedDescriptors.enable(this.channel)
					: DescriptorReception.off();
			DatagramSender sender = null;
			try {
				sender = new DatagramSender(this.channel, getDefinition(),
						getStatistics());
				this.stopper = AFUNIXDatagramChannel.open();
				try {
					this.stopper.connect(this.channel.getLocalAddress());
				}
				catch (IOException | RuntimeException ex) {
					this.stopper.close();
					throw ex;
				}
			}
			catch (IOException ex) {
				if (sender != null) {
					sender.close();
				}
				socket.close();
				throw new UdsStartupException("Cannot start " + getDefinition().describe()
						+ ": its socket is bound, but the sockets for replies and for stopping could not be opened: "
						+ ex, "Check the open-files limit of the process (ulimit -n) and the cause below.", ex);
			}
			this.sender = sender;
		}

		void start() {
			UdsListenerDefinition definition = getDefinition();
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
						Math.max(getDefinition().maxMessageSize(), STOP_TOKEN_BYTES) + 1);
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
			DatagramListenerContainer.this.receiveFailures.warn((count) -> count + " receive(s) failed on "
					+ getDefinition().describe() + "; the latest: " + failure);
			pause();
		}

		/**
		 * Handles a datagram; nothing a handler does ends this thread. An interrupt it leaves set
		 * is cleared: junixsocket closes a channel that an interrupted thread receives on, which
		 * would end the listener.
		 */
		private void handleSafely(Datagram datagram) {
			try {
				handle(datagram);
			}
			catch (RuntimeException | Error ex) {
				getStatistics().handlerFailed();
				DatagramListenerContainer.this.handlerFailures.error((count) -> "Failed to handle " + count
						+ " datagram(s) on " + getDefinition().describe(), ex);
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
			UdsListenerDefinition definition = getDefinition();
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
			if (isStopDatagram(buffer)) {
				ReceivedDescriptors.close(descriptors);
				this.receiving = false;
				return null;
			}
			InterceptedReplies intercepted = InterceptedReplies.intercept(getInterceptor(),
					from, buffer, this.sender);
			if (intercepted != null) {
				// the starter's own (a health probe): its replies are sent by handle(), outside the receive lock
				ReceivedDescriptors.close(descriptors);
				return new Datagram(new byte[0], from, List.of(), intercepted);
			}
			if (buffer.remaining() > definition.maxMessageSize()) {
				ReceivedDescriptors.close(descriptors);
				getStatistics().frameRejected(FrameRejectedException.Reason.TOO_LARGE);
				DatagramListenerContainer.this.oversized.warn((count) -> "Dropped " + count
						+ " datagram(s) larger than max-message-size " + definition.maxMessageSize() + " bytes on "
						+ definition.describe() + "; the latest from " + describe(from));
				return null;
			}
			byte[] payload = new byte[buffer.remaining()];
			buffer.get(payload);
			return new Datagram(payload, from, descriptors, null);
		}

		private boolean isStopDatagram(ByteBuffer datagram) {
			return datagram.remaining() == STOP_TOKEN_BYTES
					&& datagram.equals(ByteBuffer.wrap(this.stopToken));
		}

		private void handle(Datagram datagram) {
			InterceptedReplies intercepted = datagram.intercepted();
			if (intercepted != null) {
				intercepted.send();
				return;
			}
			UdsListenerDefinition definition = getDefinition();
			UdsListenerStatistics statistics = getStatistics();
			List<FileDescriptor> descriptors = datagram.descriptors();
			if (descriptors.size() > definition.maxFileDescriptors()) {
				ReceivedDescriptors.close(descriptors);
				statistics.descriptorsRejected();
				DatagramListenerContainer.this.tooManyDescriptors.warn((count) -> "Dropped " + count
						+ " datagram(s) carrying more than max-file-descriptors " + definition.maxFileDescriptors()
						+ " on " + definition.describe() + " (the latest carried " + descriptors.size() + ", from "
						+ describe(datagram.from()) + "); their descriptors were closed");
				return;
			}
			statistics.messageReceived(datagram.payload().length);
			if (!descriptors.isEmpty()) {
				statistics.descriptorsReceived(descriptors.size());
			}
			DatagramPeer peer = new DatagramPeer(definition.name(), datagram.from(), this.sender);
			// received descriptors are closed after the reply is sent: a reply may send them back
			try {
				EncodedReply reply;
				long start = System.nanoTime();
				try {
					reply = DatagramListenerContainer.this.messageListener.onMessage(datagram.payload(), descriptors, peer);
				}
				catch (UdsInvalidRequestException ex) {
					statistics.payloadRejected();
					DatagramListenerContainer.this.invalidPayloads.warn((count) -> count + " datagram(s) with an invalid "
							+ "payload on " + definition.describe() + "; the latest, from " + describe(datagram.from())
							+ ": " + ex.getClientMessage() + ((ex.getReply() != null) ? " (answered with an error reply)"
									: " (not answered)"));
					reply = (ex.getReply() != null) ? EncodedReply.of(ex.getReply()) : null;
				}
				catch (UdsListenerExecutionFailedException ex) {
					statistics.handlerFailed();
					DatagramListenerContainer.this.handlerFailures.error((count) -> "No reply to " + count
							+ " datagram(s) on " + definition.describe() + "; the latest, from " + describe(datagram.from())
							+ ": " + ex.getMessage(), ex.getCause());
					return;
				}
				catch (RuntimeException | Error ex) {
					statistics.handlerFailed();
					DatagramListenerContainer.this.handlerFailures.error((count) -> "No reply to " + count
							+ " datagram(s) on " + definition.describe() + " after an unexpected failure; the latest from "
							+ describe(datagram.from()), ex);
					return;
				}
				finally {
					statistics.handlerCompleted(System.nanoTime() - start);
				}
				if (reply != null) {
					reply.sendTo(peer);
				}
			}
			finally {
				ReceivedDescriptors.close(descriptors);
			}
		}

		/**
		 * Stops receiving once every datagram already queued has been handled, then closes the
		 * socket and runs the callback.
		 */
		void drain(Runnable callback) {
			synchronized (this) {
				this.onClosed = callback;
			}
			if (sendStopDatagram(Duration.ofMillis(1))) {
				closeIfDone();
				return;
			}
			// the queue is full behind a slow handler: wait for room on a thread of its own, so that
			// the caller (the registry, stopping every listener) does not wait here
			new CustomizableThreadFactory("uds-" + getDefinition().name() + "-stop-")
				.newThread(() -> {
					if (!sendStopDatagram(GracefulStop.TIMEOUT)) {
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
			sendStopDatagram(Duration.ofSeconds(1));
			for (Thread thread : this.threads) {
				thread.interrupt();
			}
			closeSocket();
		}

		/**
		 * Removes the socket file, so no new sender finds the socket, and queues a datagram of our
		 * own behind what the kernel holds: the thread that receives it stops receiving, and so does
		 * every other thread.
		 * @return {@code false} if it could not be sent in time
		 */
		private boolean sendStopDatagram(Duration timeout) {
			this.socket.unpublish();
			try {
				this.stopper.socket().setSoTimeout((int) timeout.toMillis());
				return this.stopper.write(ByteBuffer.wrap(this.stopToken)) == STOP_TOKEN_BYTES;
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not wake the threads of " + getDefinition().describe()
						+ ": " + ex);
				return false;
			}
		}

		/** Closes the socket and the sending channel, once, whichever path gets here first. */
		private synchronized void closeSocket() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.receiving = false;
			this.sender.close();
			try {
				this.stopper.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close the stopper of " + getDefinition().describe(), ex);
			}
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

		private static String describe(@Nullable AFUNIXSocketAddress address) {
			return (address != null) ? address.toString() : "an unbound sender";
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

	/** A datagram received; one the interceptor took only has its replies sent. */
	private record Datagram(byte[] payload, @Nullable AFUNIXSocketAddress from, List<FileDescriptor> descriptors,
			@Nullable InterceptedReplies intercepted) {
	}

}
