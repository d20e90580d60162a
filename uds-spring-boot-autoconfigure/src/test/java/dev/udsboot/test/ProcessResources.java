package dev.udsboot.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Counts this process's open descriptors and live threads, for leak checks.
 */
public final class ProcessResources {

	private ProcessResources() {
	}

	/**
	 * Counts the entries of {@code /proc/self/fd}.
	 * @return open descriptors
	 */
	public static int openDescriptors() {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return (int) fds.count() - 1; // the directory stream's own descriptor
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Counts live threads.
	 * @return live threads
	 */
	public static int liveThreads() {
		return Thread.activeCount();
	}

	/**
	 * Waits until a count falls back to at most its baseline.
	 * @param baseline the count before
	 * @param counter reads the count now
	 * @param within how long to wait
	 */
	public static void awaitAtMost(int baseline, IntSupplier counter, Duration within) {
		// polled on this thread: a poller thread would be counted by a thread count
		await().pollInSameThread().atMost(within).until(() -> counter.getAsInt() <= baseline);
	}

}
