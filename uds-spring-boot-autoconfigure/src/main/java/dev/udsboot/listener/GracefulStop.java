package dev.udsboot.listener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Waits for an asynchronous graceful stop, for a container and for the registry alike: both stop
 * with a callback (as {@link org.springframework.context.SmartLifecycle} does) and, when called
 * without one, wait a bounded time before closing what is still busy.
 */
public final class GracefulStop {

	/** How long a stop without a callback waits for in-flight messages before closing at once. */
	public static final Duration TIMEOUT = Duration.ofSeconds(30);

	private GracefulStop() {
	}

	/**
	 * Starts a graceful stop and waits for its callback, {@link #TIMEOUT} at most.
	 * @param stop starts the stop and runs the callback it is given once everything is closed
	 * @return {@code true} if it finished in time; {@code false} if the time ran out or the
	 * waiting thread was interrupted (its interrupt flag is then set again), so that the caller
	 * closes at once
	 */
	public static boolean await(Consumer<Runnable> stop) {
		CountDownLatch stopped = new CountDownLatch(1);
		stop.accept(stopped::countDown);
		try {
			return stopped.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
