package dev.udsboot.listener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.udsboot.health.UdsListenerHealthIndicator;
import dev.udsboot.listener.datagram.DatagramListenerContainer;
import dev.udsboot.listener.stream.StreamListenerContainer;
import dev.udsboot.socket.SocketFileWatcher;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A listener's socket file deleted or replaced under a running application: the listener says so
 * once, promptly, naming itself and the path; keeps serving the connections it has; is DOWN; and
 * the watcher's thread and descriptors are gone once the listeners stop.
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketFileWatchTests {

	@TempDir
	Path dir;

	private final List<UdsListenerContainer> containers = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.containers.forEach(UdsListenerContainer::close);
	}

	@Test
	void deletedStreamSocketFileIsReportedOnceAndOpenConnectionsAreStillServed(CapturedOutput output)
			throws Exception {
		warmUp();
		int descriptors = ProcessResources.openDescriptors();
		assertThat(watcherThreads()).as("no listener of another test still runs").isZero();
		Path echoPath = this.dir.resolve("echo.sock");
		StreamListenerContainer echo = stream("echo", echoPath);
		StreamListenerContainer other = stream("other", this.dir.resolve("other.sock"));
		assertThat(watcherThreads()).isEqualTo(1);
		try (LineClient established = LineClient.connect(UdsAddress.ofPath(echoPath))) {
			assertThat(established.request("before")).isEqualTo("before");
			long deleted = System.nanoTime();
			Files.delete(echoPath);
			String line = "The socket file " + echoPath + " of listener 'echo' (" + echoPath + ") was deleted: new "
					+ "clients cannot reach this listener through it; connections already open are still served. "
					+ "Restart the application to create it again.";
			await().atMost(Duration.ofSeconds(2)).until(() -> output.toString().contains(line));
			System.out.printf("deletion reported after %.1f ms%n", (System.nanoTime() - deleted) / 1e6);
			assertThat(established.request("after")).isEqualTo("after");
			try (AFUNIXSocket newClient = AFUNIXSocket.newInstance()) {
				// (junixsocket's connectTo leaves its socket to the garbage collector when it fails)
				assertThatExceptionOfType(java.io.IOException.class)
					.isThrownBy(() -> newClient.connect(AFUNIXSocketAddress.of(echoPath)));
			}
			Health health = new UdsListenerHealthIndicator(echo, Duration.ofSeconds(2)).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason")).isEqualTo("the socket file " + echoPath + " was deleted");
			assertThat(echo.isRunning()).isTrue();
			// more events in the directory, and the same name again: still one line
			Files.writeString(this.dir.resolve("unrelated"), "x");
			Files.delete(this.dir.resolve("unrelated"));
			Files.writeString(echoPath, "not a socket");
			Files.delete(echoPath);
			Thread.sleep(500);
			assertThat(output.toString().split("The socket file " + echoPath, -1)).hasSize(2);
			assertThat(output).doesNotContain("listener 'other' (" + this.dir.resolve("other.sock") + ") was");
			assertThat(output).doesNotContain(" ERROR ");
		}
		echo.stop();
		other.stop();
		assertThat(output).doesNotContain("of listener 'other'");
		ProcessResources.awaitAtMost(0, SocketFileWatchTests::watcherThreads, Duration.ofSeconds(5));
		ProcessResources.awaitAtMost(descriptors, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void socketFileReplacedByAnotherFileIsReportedOnceAndTheFileIsLeftInPlace(CapturedOutput output)
			throws Exception {
		Path path = this.dir.resolve("replaced.sock");
		StreamListenerContainer container = stream("replaced", path);
		Path other = this.dir.resolve("someone-else");
		Files.writeString(other, "theirs");
		Files.move(other, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		String line = "The socket file " + path + " of listener 'replaced' (" + path + ") was replaced by another "
				+ "file: new clients cannot reach this listener through it; connections already open are still "
				+ "served. That file is left in place on shutdown";
		await().atMost(Duration.ofSeconds(2)).until(() -> output.toString().contains(line));
		assertThat(new UdsListenerHealthIndicator(container, Duration.ofSeconds(2)).health().getStatus())
			.isEqualTo(Status.DOWN);
		container.stop();
		assertThat(output.toString().split("The socket file " + path, -1)).hasSize(2);
		assertThat(path).hasContent("theirs");
	}

	@Test
	void deletedDatagramSocketFileIsReportedOnceAndAGracefulStopSaysNothing(CapturedOutput output) throws Exception {
		Path path = this.dir.resolve("events.sock");
		DatagramListenerContainer events = new DatagramListenerContainer(
				TestListeners.at(path).name("events").datagram().build(), (payload, peer) -> EncodedReply.of(payload));
		this.containers.add(events);
		events.start();
		Files.delete(path);
		await().atMost(Duration.ofSeconds(2))
			.until(() -> output.toString().contains("The socket file " + path + " of listener 'events'"));
		events.stop();
		Path kept = this.dir.resolve("kept.sock");
		DatagramListenerContainer stopped = new DatagramListenerContainer(
				TestListeners.at(kept).name("kept").datagram().build(), (payload, peer) -> EncodedReply.of(payload));
		this.containers.add(stopped);
		stopped.start();
		stopped.stop();
		StreamListenerContainer stream = stream("stream", this.dir.resolve("stream.sock"));
		stream.stop();
		Thread.sleep(300);
		assertThat(output.toString().split("The socket file ", -1)).as("only the deleted one").hasSize(2);
		assertThat(kept).doesNotExist();
		ProcessResources.awaitAtMost(0, SocketFileWatchTests::watcherThreads, Duration.ofSeconds(5));
	}

	@Test
	void aDirectoryReachedThroughTwoSpellingsStaysWatchedWhileOneListenerIsLeft(CapturedOutput output)
			throws Exception {
		// like /run and /var/run: the kernel watches one inode, whichever name registered it
		Path real = Files.createDirectory(this.dir.resolve("real"));
		Path link = Files.createSymbolicLink(this.dir.resolve("link"), real);
		Path kept = real.resolve("a.sock");
		stream("kept", kept);
		StreamListenerContainer leaving = stream("leaving", link.resolve("b.sock"));
		leaving.stop();
		Files.delete(kept);
		await().atMost(Duration.ofSeconds(2))
			.until(() -> output.toString().contains("The socket file " + kept + " of listener 'kept'"));
	}

	/** Lets junixsocket and the JDK open what they keep for the life of the process. */
	private void warmUp() throws Exception {
		Path path = this.dir.resolve("warm-up.sock");
		StreamListenerContainer container = stream("warm-up", path);
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
			assertThat(client.request("warm")).isEqualTo("warm");
		}
		Files.delete(path);
		await().atMost(Duration.ofSeconds(2)).until(() -> watcherThreads() == 1);
		new UdsListenerHealthIndicator(container, Duration.ofSeconds(2)).health();
		container.stop();
		this.containers.remove(container);
	}

	private StreamListenerContainer stream(String name, Path path) {
		StreamListenerContainer container = new StreamListenerContainer(TestListeners.at(path).name(name).build(),
				(payload, session) -> EncodedReply.of(payload), Duration.ofSeconds(1));
		this.containers.add(container);
		container.start();
		return container;
	}

	private static int watcherThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals(SocketFileWatcher.THREAD_NAME))
			.count();
	}

}
