package dev.udsboot.listener.stream;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.source.ConnectionSocket;

/**
 * The acceptor thread of one run of a stream listener, on any socket a channel made (a Unix domain
 * socket, or TCP): it waits in a selector until a connection
 * is pending, and accepts it only while it has not been stopped, under the lock {@link #stop()}
 * takes. So once {@code stop()} returns, no connection is accepted any more, and those that arrive
 * stay in the socket's queue: for a socket passed by systemd, for the next start. (A blocking
 * accept cannot give that: it takes whatever arrives while it is being stopped, and junixsocket,
 * closing a server socket under a blocked accept, wakes it with a connection of its own and leaks
 * a descriptor each time.) Accepted sockets are blocking on Linux, where {@code accept} does not
 * pass on the listening socket's non-blocking mode.
 */
final class StreamAcceptor {

	private final UdsListenerDefinition definition;

	private final ServerSocket server;

	private final ServerSocketChannel channel;

	private final Selector selector;

	private final DescriptorShedding overload;

	private final Function<Socket, ConnectionSocket> connections;

	private final Consumer<ConnectionSocket> serve;

	private final Runnable serverClosed;

	private final Log logger;

	private final Object lock = new Object();

	/** A select that keeps failing is retried every 100 ms: one WARN line per 10 s says so. */
	private final RateLimitedLog selectFailures;

	private final Thread thread;

	private boolean stopped;

	/**
	 * Prepares an acceptor; nothing is accepted until {@link #start()}.
	 * @param definition the listener, for the thread's name and log lines
	 * @param server the listening socket, made through its channel; the channel is made
	 * non-blocking
	 * @param connections wraps each accepted socket for the container
	 * @param overload decides about connections when descriptors run out
	 * @param serve takes each admitted connection
	 * @param serverClosed told, on the acceptor thread, when junixsocket closed the server socket
	 * @param logger the container's log
	 * @throws IOException if the socket cannot be made non-blocking or the selector not opened
	 */
	StreamAcceptor(UdsListenerDefinition definition, ServerSocket server, Function<Socket, ConnectionSocket> connections,
			DescriptorShedding overload, Consumer<ConnectionSocket> serve, Runnable serverClosed, Log logger)
			throws IOException {
		this.definition = definition;
		this.server = server;
		this.channel = Objects.requireNonNull(server.getChannel(), "a server socket made through its channel");
		this.connections = connections;
		this.overload = overload;
		this.serve = serve;
		this.serverClosed = serverClosed;
		this.logger = logger;
		this.selectFailures = new RateLimitedLog(logger, Duration.ofSeconds(10));
		this.channel.configureBlocking(false);
		// the channel's own provider: junixsocket's for a Unix domain socket, the JDK's for TCP
		this.selector = this.channel.provider().openSelector();
		try {
			this.channel.register(this.selector, SelectionKey.OP_ACCEPT);
		}
		catch (IOException | RuntimeException ex) {
			this.selector.close();
			throw ex;
		}
		this.thread = new Thread(this::acceptLoop, "uds-" + definition.name() + "-acceptor");
	}

	/** Starts accepting. */
	void start() {
		this.thread.start();
	}

	/**
	 * Stops accepting: once this returns, the acceptor thread has ended and no connection is
	 * accepted any more; one it accepted before has been handed on. Idempotent.
	 */
	void stop() {
		synchronized (this.lock) {
			this.stopped = true;
		}
		this.selector.wakeup();
		if (this.thread != Thread.currentThread()) {
			try {
				this.thread.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		try {
			this.selector.close();
		}
		catch (IOException ex) {
			this.logger.debug("Failed to close the selector of " + this.definition.describe(), ex);
		}
	}

	private void acceptLoop() {
		try {
			while (awaitPending()) {
				if (!acceptOne()) {
					return;
				}
			}
		}
		catch (RuntimeException | Error ex) {
			// nothing may end the acceptor unseen: the listener would look up while nothing accepts
			this.logger.error("Stopped accepting on " + this.definition.describe() + " after an unexpected failure",
					ex);
			this.serverClosed.run();
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	/**
	 * Waits until a connection is pending or the acceptor is stopped.
	 * @return {@code false} to end the acceptor
	 */
	private boolean awaitPending() {
		while (true) {
			try {
				this.selector.select();
				this.selector.selectedKeys().clear();
				// nothing interrupts the acceptor on purpose; a flag left set would make every select
				// return at once
				Thread.interrupted();
				return true;
			}
			catch (ClosedSelectorException ex) {
				return false;
			}
			catch (IOException ex) {
				if (isStopped() || this.server.isClosed()) {
					return false;
				}
				this.selectFailures.warn((count) -> "Waiting for connections on " + this.definition.describe()
						+ " failed " + count + " time(s); retrying every 100 ms; the latest: " + ex);
				pause();
			}
		}
	}

	/**
	 * Accepts one pending connection, unless stopped, and hands it on.
	 * @return {@code false} to end the acceptor
	 */
	private boolean acceptOne() {
		ConnectionSocket socket = null;
		IOException failure = null;
		synchronized (this.lock) {
			if (this.stopped) {
				return false;
			}
			try {
				socket = accept();
			}
			catch (IOException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			if (this.server.isClosed()) {
				// junixsocket closes the server when its bound file is deleted or moved
				this.logger.error("Stopped accepting on " + this.definition.describe()
						+ ": the server socket was closed (junixsocket closes it when the socket file it bound is "
						+ "deleted or moved): " + failure);
				this.serverClosed.run();
				return false;
			}
			this.overload.acceptFailed(failure);
		}
		else if (socket != null && this.overload.admit(socket)) {
			this.serve.accept(socket);
		}
		return true;
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			// nothing interrupts the acceptor on purpose: go on
		}
	}

	/** Accepts a pending connection, as a blocking socket; {@code null} if another took it first. */
	private @Nullable ConnectionSocket accept() throws IOException {
		SocketChannel accepted = this.channel.accept();
		if (accepted == null) {
			return null;
		}
		try {
			accepted.configureBlocking(true);
			return this.connections.apply(accepted.socket());
		}
		catch (IOException | RuntimeException ex) {
			// this connection is given up; the acceptor goes on
			accepted.close();
			this.logger.debug("Could not take a connection on " + this.definition.describe() + ": " + ex);
			return null;
		}
	}

	private boolean isStopped() {
		synchronized (this.lock) {
			return this.stopped;
		}
	}

}
