package dev.udsboot.listener.datagram;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.AbstractUdsListenerContainer;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.socket.DatagramChannels;

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
 * <p>
 * The container keeps the lifecycle only: each start makes a {@link DatagramReceiver} (the
 * socket, the threads, the receive loop), which stops with a {@link StopDatagram} and hands what
 * it receives to the container's {@link DatagramDispatcher} (limits, invocation, reply).
 */
public class DatagramListenerContainer extends AbstractUdsListenerContainer {

	private static final Log logger = LogFactory.getLog(DatagramListenerContainer.class);

	private final ListenerSocketSource source;

	private final DatagramDispatcher dispatcher;

	private final Object monitor = new Object();

	private final RateLimitedLog receiveFailures = rateLimited(logger);

	private volatile @Nullable DatagramReceiver current;

	/** Runs stopped but still finishing their queued datagrams: {@link #close()} aborts them too. */
	private final Set<DatagramReceiver> draining = ConcurrentHashMap.newKeySet();

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
		this.dispatcher = new DatagramDispatcher(definition, getStatistics(), messageListener, LOG_INTERVAL);
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
			DatagramReceiver run = new DatagramReceiver(this,
					this.source.openDatagramChannel(DatagramChannels::open),
					this.dispatcher, this.receiveFailures);
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
		DatagramReceiver run = this.current;
		return run != null && run.isReceiving();
	}

	@Override
	public void stop(Runnable callback) {
		DatagramReceiver run;
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
		DatagramReceiver run;
		synchronized (this.monitor) {
			run = this.current;
			this.current = null;
		}
		if (run != null) {
			run.abort();
		}
		for (DatagramReceiver stopping : this.draining) {
			stopping.abort();
		}
	}

}
