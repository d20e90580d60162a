package dev.udsboot.listener;

import org.springframework.context.Lifecycle;

/**
 * Serves one configured listener: binds its socket, accepts connections or datagrams, hands each
 * message to its {@link UdsMessageListener}. Containers are not beans; the
 * {@link UdsListenerEndpointRegistry} creates, starts and stops them.
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
	 * Stops gracefully: stops accepting, lets in-flight messages finish and be answered, closes
	 * connections, removes the socket file, then runs the callback.
	 * @param callback run once everything is closed; may run on another thread
	 */
	void stop(Runnable callback);

	/**
	 * Stops at once: closes every connection and the socket without waiting. Idempotent.
	 */
	void close();

}
