package dev.udsboot.listener;

import org.springframework.context.Lifecycle;

import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.socket.ListenerAddress;

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
	 * Returns the address clients reach this listener at: its configured one, or, for a TCP
	 * listener on port 0, the port it took.
	 * @return the address
	 */
	default ListenerAddress getAddress() {
		ListenerAddress bound = getSource().boundAddress();
		return (bound != null) ? bound : getDefinition().address();
	}

	/**
	 * Adds an interceptor, asked about each new connection or datagram before the handlers (the
	 * starter's health probes answer through one). Interceptors are asked in the order they were
	 * added; none is ever removed or replaced.
	 * @param interceptor the interceptor
	 */
	void addInterceptor(UdsListenerInterceptor interceptor);

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
