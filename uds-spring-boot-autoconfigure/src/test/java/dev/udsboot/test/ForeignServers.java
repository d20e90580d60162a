package dev.udsboot.test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static org.awaitility.Awaitility.await;

/**
 * Socket servers of other programs, for tests of what the starter must leave alone: a socat echo
 * server, and killing a process with everything it forked.
 */
public final class ForeignServers {

	private ForeignServers() {
	}

	/**
	 * Starts {@code socat UNIX-LISTEN:path,fork EXEC:cat} and waits until it accepts.
	 * @param path the socket path
	 * @return the socat process; the caller kills it
	 * @throws IOException if it cannot be started
	 */
	public static Process startSocatEcho(Path path) throws IOException {
		Process socat = new ProcessBuilder(RequiredTools.require("socat"), "UNIX-LISTEN:" + path + ",fork",
				"EXEC:cat")
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> canConnect(path));
		return socat;
	}

	/**
	 * Sends SIGKILL to a process and everything it forked (socat's children keep its listening
	 * socket), and waits until they are gone.
	 * @param process the process
	 */
	public static void killWithSigkill(Process process) {
		List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
		tree.forEach(ProcessHandle::destroyForcibly);
		for (ProcessHandle handle : tree) {
			try {
				handle.onExit().get(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new IllegalStateException("process " + handle.pid() + " did not end", ex);
			}
		}
	}

	/**
	 * Tells whether something accepts connections at a path.
	 * @param path the socket path
	 * @return {@code true} if a connection succeeds
	 */
	public static boolean canConnect(Path path) {
		try (AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
