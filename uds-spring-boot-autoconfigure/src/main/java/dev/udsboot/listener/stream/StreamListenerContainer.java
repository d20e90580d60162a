package dev.udsboot.listener.stream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.listener.AbstractUdsListenerContainer;
import dev.udsboot.listener.FileDescriptorLimit;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.source.ConnectionSocket;
import dev.udsboot.listener.source.ListenerSocket;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.socket.ListenerAddress;

/**
 * Serves a stream listener: one acceptor thread, and one pooled platform thread per open
 * connection (up to max-connections; idle pool threads end after a keep-alive). A connection
 * beyond the limit is closed as soon as it is accepted.
 * <p>
 * Why a thread per connection: a blocking read costs no more than its system call, and a
 * connection with a message ready never waits behind another. junixsocket's selector, and the
 * poller behind virtual threads, would add a hand-off between threads for every message. The price
 * is a thread per open connection, which max-connections bounds.
 * <p>
 * Stopping: accepting stops first ({@link StreamAcceptor}: nothing is accepted once it has
 * stopped, so on a socket shared with systemd what arrives stays queued for the next start), then
 * in-flight connections drain before the socket file goes; each start makes a {@link StreamRun},
 * and a stop releases the one it took.
 */
public class StreamListenerContainer extends AbstractUdsListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);


	private final ListenerSocketSource source;

	private final UdsMessageListener messageListener;

	private final FrameCodec codec;

	private final Duration threadKeepAlive;


	private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong connectionIds = new AtomicLong();

	private final Object monitor = new Object();

	private volatile boolean running;

	private final RateLimitedLog refusals = rateLimited(logger);

	private final RateLimitedLog serveFailures = rateLimited(logger);

	// a client's mistakes, one WARN per interval and kind, so that one kind never hides another

	/** Payloads a handler could not take. */
	private final RateLimitedLog invalidPayloads = rateLimited(StreamConnection.logger);

	/** Frames the framing rejected, and messages with too many descriptors. */
	private final RateLimitedLog rejectedFrames = rateLimited(StreamConnection.logger);

	/** Peers the allow-lists refused. */
	private final RateLimitedLog refusedPeers = rateLimited(StreamConnection.logger);

	/** Handler failures of every connection: one ERROR with its stack trace per interval. */
	private final RateLimitedLog handlerFailures = rateLimited(StreamConnection.logger);

	/** The current run: set by start, taken by stop or close; guarded by {@link #monitor}. */
	private @Nullable StreamRun run;

	private @Nullable Runnable drainedCallback;

	/**
	 * Creates a container for a listener's own socket source; nothing is bound until
	 * {@link #start()}.
	 * @param definition the listener to serve
	 * @param messageListener receives each message
	 * @param threadKeepAlive how long an idle connection thread is kept for reuse
	 */
	public StreamListenerContainer(UdsListenerDefinition definition, UdsMessageListener messageListener,
			Duration threadKeepAlive) {
		this(definition, definition.newSocketSource(), messageListener, threadKeepAlive);
	}

	/**
	 * Creates a container; nothing is bound until {@link #start()}.
	 * @param definition the listener to serve
	 * @param source where its socket comes from
	 * @param messageListener receives each message
	 * @param threadKeepAlive how long an idle connection thread is kept for reuse
	 */
	public StreamListenerContainer(UdsListenerDefinition definition, ListenerSocketSource source,
			UdsMessageListener messageListener, Duration threadKeepAlive) {
		super(definition);
		this.source = source;
		this.messageListener = messageListener;
		this.threadKeepAlive = threadKeepAlive;
		this.codec = new FrameCodec(definition.framing(), definition.maxMessageSize());
	}

	@Override
	public int getActiveConnections() {
		return this.connections.size();
	}

	RateLimitedLog invalidPayloads() {
		return this.invalidPayloads;
	}

	RateLimitedLog rejectedFrames() {
		return this.rejectedFrames;
	}

	RateLimitedLog refusedPeers() {
		return this.refusedPeers;
	}

	RateLimitedLog handlerFailures() {
		return this.handlerFailures;
	}


	FrameCodec codec() {
		return this.codec;
	}

	UdsMessageListener messageListener() {
		return this.messageListener;
	}

	@Override
	public boolean isOutOfFileDescriptors() {
		StreamRun current = this.run;
		return this.running && current != null && current.isOutOfDescriptors();
	}

	@Override
	public ListenerSocketSource getSource() {
		return this.source;
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			StreamRun dead = this.run;
			if (dead != null) {
				// junixsocket closed its server socket: what is left of it goes now
				this.run = null;
				dead.stopAccepting();
				dead.release(false);
			}
			ListenerSocket<? extends ServerSocket> socket = this.source.openServerSocket(this::newServerSocket);
			FileDescriptorLimit.warnIfBelowMaxConnections(getDefinition(), logger);
			StreamRun started = new StreamRun(getDefinition(), getStatistics(), socket, this.source::connectionSocket,
					this.threadKeepAlive, this::serve, this::serverSocketClosed, logger);
			this.run = started;
			this.running = true;
			started.start();
			ListenerAddress bound = this.source.boundAddress();
			logger.info("Started " + getDefinition().describe() + " with " + getDefinition().framing().name()
				.toLowerCase(java.util.Locale.ROOT) + " framing"
					+ ((bound != null && !bound.equals(getDefinition().address())) ? ", listening on " + bound : ""));
		}
	}

	private AFUNIXServerSocket newServerSocket(AFUNIXSocketAddress address) throws IOException {
		AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
		try {
			// junixsocket's defaults take over whatever is at the path and delete the path on close
			server.setReuseAddress(false);
			server.setDeleteOnClose(false);
			server.bind(address, getDefinition().backlog());
			return server;
		}
		catch (IOException ex) {
			server.close();
			throw ex;
		}
	}

	/** junixsocket closed the server socket under the acceptor (its file was deleted or moved). */
	private void serverSocketClosed() {
		StreamRun current;
		synchronized (this.monitor) {
			this.running = false;
			current = this.run;
		}
		// nothing accepts from now on; the rest goes when the listener is stopped, closed or started
		if (current != null) {
			current.closeSpare();
		}
	}

	/**
	 * Serves a connection the acceptor took; one taken while the listener began to stop is served
	 * too (stop waits for the acceptor, then drains it with the others).
	 */
	private void serve(ConnectionSocket socket, ThreadPoolExecutor executor) {
		if (this.connections.size() >= getDefinition().maxConnections()) {
			refuse(socket);
			return;
		}
		StreamConnection connection = null;
		try {
			if (!getDefinition().idleTimeout().isZero()) {
				socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, getDefinition().idleTimeout().toMillis()));
			}
			connection = new StreamConnection(this.connectionIds.incrementAndGet(), socket, this);
			this.connections.add(connection);
			executor.execute(connection);
		}
		catch (IOException | RuntimeException | Error ex) {
			// RejectedExecutionException, or no thread could be made (OutOfMemoryError): the
			// connection is given up, and must not stay counted, or a stop would wait for it
			getStatistics().connectionRefused();
			this.serveFailures.warn((count) -> "Could not serve " + count + " new connection(s) on "
					+ getDefinition().describe() + "; the latest: " + ex);
			if (connection != null) {
				connectionClosed(connection);
			}
			closeQuietly(socket);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	private void refuse(ConnectionSocket socket) {
		closeQuietly(socket);
		getStatistics().connectionRefused();
		this.refusals.warn((count) -> "Refused " + count + " connection(s) on " + getDefinition().describe()
				+ ": max-connections " + getDefinition().maxConnections() + " reached");
	}

	void connectionClosed(StreamConnection connection) {
		this.connections.remove(connection);
		Runnable callback = null;
		synchronized (this.monitor) {
			if (this.drainedCallback != null && this.connections.isEmpty()) {
				callback = this.drainedCallback;
				this.drainedCallback = null;
			}
		}
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void stop(Runnable callback) {
		StreamRun stopping;
		synchronized (this.monitor) {
			stopping = this.run;
			this.run = null;
			this.running = false;
		}
		if (stopping == null) {
			callback.run();
			return;
		}
		stopping.stopAccepting();
		Runnable finish = () -> {
			stopping.release(false);
			logger.info("Stopped " + getDefinition().describe());
			callback.run();
		};
		boolean drained;
		synchronized (this.monitor) {
			drained = this.connections.isEmpty();
			if (!drained) {
				this.drainedCallback = finish;
			}
		}
		if (drained) {
			finish.run();
			return;
		}
		for (StreamConnection connection : this.connections) {
			connection.shutdownInput();
		}
	}

	@Override
	public void close() {
		StreamRun closing;
		Runnable pendingStop;
		synchronized (this.monitor) {
			closing = this.run;
			this.run = null;
			this.running = false;
			pendingStop = this.drainedCallback;
			this.drainedCallback = null;
		}
		if (closing != null) {
			closing.stopAccepting();
		}
		for (StreamConnection connection : this.connections) {
			connection.close();
		}
		if (closing != null) {
			closing.release(true);
		}
		if (pendingStop != null) {
			// a graceful stop still draining: its run is released and its caller told now
			pendingStop.run();
		}
	}

	private static void closeQuietly(java.io.Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close " + closeable, ex);
		}
	}

}
