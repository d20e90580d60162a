package dev.udsboot.listener;

import java.time.Duration;

import org.springframework.context.Lifecycle;

import dev.udsboot.listener.source.ListenerSocketSource;

/**
 * Serves one configured listener: binds its socket, accepts connections or datagrams, hands each
 * message to its {@link UdsMessageListener}. Containers are not beans; the endpoint registry
 * ({@code dev.udsboot.config.UdsListenerEndpointRegistry}) creates, starts and stops them.
 * {@link AbstractUdsListenerContainer} is the base of the starter's own.
 */
public interface UdsListenerContainer extends Lifecycle {

	/**
	 * Returns what this container serves.
	 * @return the listener definition
	 */
	UdsListenerDefinition getDefinition();

	/**
	 * Returns this listener's counters.
	 * @return the statistics
	 */
	UdsListenerStatistics getStatistics();

	/**
	 * Returns how many connections are open now.
	 * @return open connections (always 0 for datagram listeners)
	 */
	int getActiveConnections();

	/**
	 * Tells whether the process was out of file descriptors when this listener last accepted a
	 * connection, so that it sheds new connections (closes them unserved) until descriptors are
	 * free again.
	 * @return {@code true} while it sheds connections; always {@code false} for datagram listeners
	 */
	default boolean isOutOfFileDescriptors() {
		return false;
	}

	/**
	 * Returns where this listener's socket comes from, and so what it offers beyond messages: its
	 * socket file, if it has one.
	 * @return the source
	 */
	ListenerSocketSource getSource();

	/**
	 * Checks that the listener serves: a connection or datagram of the starter's own goes through
	 * its socket and is answered by the container, without reaching a handler or the statistics
	 * (see {@link ListenerProbes}).
	 * @param timeout how long the probe may take
	 * @return the outcome
	 */
	ListenerProbes.ProbeResult probe(Duration timeout);

	/**
	 * Stops gracefully: stops accepting, lets in-flight messages finish and be answered, closes
	 * connections, removes the socket file, then runs the callback.
	 * @param callback run once everything is closed; may run on another thread
	 */
	void stop(Runnable callback);

	/**
	 * Stops gracefully and waits for it, {@link GracefulStop#TIMEOUT} at most; then closes at once.
	 */
	@Override
	void stop();

	/**
	 * Stops at once: closes every connection and the socket without waiting. Idempotent.
	 */
	void close();

}
