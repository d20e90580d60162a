package dev.udsboot.listener.stream;

import java.io.Closeable;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.source.ConnectionSocket;
import dev.udsboot.listener.source.ListenerSocket;

/**
 * One run of a stream listener, from a start to the stop after it: its socket, its acceptor, its
 * spare descriptor and its connection threads, made together and released together. A stop
 * releases the run it took, whatever starts after it; a run whose server socket junixsocket
 * closed is released by the next stop, close or start.
 */
final class StreamRun {

	private final ListenerSocket<? extends ServerSocket> socket;

	private final DescriptorShedding shedding;

	private final ThreadPoolExecutor executor;

	private final StreamAcceptor acceptor;

	/**
	 * Makes a run on a socket just opened; on failure the socket is closed.
	 * @param definition the listener
	 * @param statistics its statistics, where shed connections are counted
	 * @param socket its socket, listening
	 * @param connections wraps each accepted socket
	 * @param threadKeepAlive how long an idle connection thread is kept
	 * @param serve serves an accepted connection on this run's threads
	 * @param serverClosed told when junixsocket closed the server socket under the acceptor
	 * @param logger the container's log
	 */
	StreamRun(UdsListenerDefinition definition, UdsListenerStatistics statistics,
			ListenerSocket<? extends ServerSocket> socket, Function<Socket, ConnectionSocket> connections,
			Duration threadKeepAlive, Server serve, Runnable serverClosed, Log logger) {
		this.socket = socket;
		this.shedding = new DescriptorShedding(definition, statistics, Duration.ofSeconds(10));
		CustomizableThreadFactory threads = new CustomizableThreadFactory("uds-" + definition.name() + "-");
		// max-connections bounds the connections; the headroom covers threads still finishing a
		// connection that has already been counted as closed
		this.executor = new ThreadPoolExecutor(0, definition.maxConnections() * 2, threadKeepAlive.toMillis(),
				TimeUnit.MILLISECONDS, new SynchronousQueue<>(), threads);
		try {
			this.acceptor = new StreamAcceptor(definition, socket.socket(), connections, this.shedding,
					(accepted) -> serve.serve(accepted, this.executor), serverClosed, logger);
		}
		catch (IOException ex) {
			this.shedding.close();
			this.executor.shutdown();
			socket.close();
			throw new UdsStartupException("Cannot start " + definition.describe() + ": " + ex,
					"Check the open-files limit of the process (ulimit -n) and the cause below.", ex);
		}
	}

	/** Starts accepting. */
	void start() {
		this.acceptor.start();
	}

	/**
	 * Tells whether its latest accept found the process out of descriptors.
	 * @return {@code true} while connections are shed
	 */
	boolean isOutOfDescriptors() {
		return this.shedding.isOutOfDescriptors();
	}

	/**
	 * Stops accepting, closes the server socket (a socket shared with systemd stays open, unaccepted,
	 * until {@link #release}) and gives back the spare descriptor. Connections already accepted go
	 * on.
	 */
	void stopAccepting() {
		this.acceptor.stop();
		if (!this.socket.isShared()) {
			// only its ListenerSocket may close a shared one: junixsocket's close would shut systemd's down
			closeQuietly(this.socket.socket());
		}
		this.shedding.close();
	}

	/** Gives back the spare descriptor at once (the acceptor has stopped by itself). */
	void closeSpare() {
		this.shedding.close();
	}

	/**
	 * Removes the socket file (if still ours) and ends the connection threads; when forced,
	 * handlers still running are interrupted. Idempotent.
	 * @param force whether to interrupt handlers
	 */
	void release(boolean force) {
		this.socket.close();
		if (force) {
			this.executor.shutdownNow();
		}
		else {
			this.executor.shutdown();
		}
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// it is closed for our purposes
		}
	}

	/** Serves an accepted connection on a run's threads. */
	@FunctionalInterface
	interface Server {

		/**
		 * Serves a connection.
		 * @param socket the connection
		 * @param executor the run's connection threads
		 */
		void serve(ConnectionSocket socket, ThreadPoolExecutor executor);

	}

}
