package dev.udsboot.listener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.Lifecycle;

import dev.udsboot.socket.BoundSocketFile;

/**
 * Serves one configured listener: binds its socket, accepts connections or datagrams, hands each
 * message to its {@link UdsMessageListener}. Containers are not beans; the
 * {@link UdsListenerEndpointRegistry} creates, starts and stops them.
 */
public interface UdsListenerContainer extends Lifecycle {

	/** How long {@link #stop()} waits for in-flight messages before closing at once. */
	Duration STOP_TIMEOUT = Duration.ofSeconds(30);

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
	 * Returns the socket file this container bound and removes when it stops.
	 * @return the file, or {@code null} if it is not running or listens on an abstract name
	 */
	@Nullable BoundSocketFile<?> getSocketFile();

	/**
	 * Sets what is asked first about each new connection or datagram (the starter's health probes
	 * answer through it). One interceptor per container: this replaces the previous one.
	 * @param interceptor the interceptor, or {@link UdsListenerInterceptor#NONE}
	 */
	void setInterceptor(UdsListenerInterceptor interceptor);

	/**
	 * Stops gracefully: stops accepting, lets in-flight messages finish and be answered, closes
	 * connections, removes the socket file, then runs the callback.
	 * @param callback run once everything is closed; may run on another thread
	 */
	void stop(Runnable callback);

	/**
	 * Stops gracefully and waits for it, {@link #STOP_TIMEOUT} at most; then closes at once.
	 */
	@Override
	default void stop() {
		CountDownLatch latch = new CountDownLatch(1);
		stop(latch::countDown);
		try {
			if (!latch.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				LogFactory.getLog(getClass()).warn("Closing " + getDefinition().describe()
						+ ": messages still being handled after " + STOP_TIMEOUT.toSeconds() + " s");
				close();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
		}
	}

	/**
	 * Stops at once: closes every connection and the socket without waiting. Idempotent.
	 */
	void close();

}
