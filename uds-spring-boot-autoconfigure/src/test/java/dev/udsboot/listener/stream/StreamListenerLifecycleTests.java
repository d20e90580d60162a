package dev.udsboot.listener.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFileBinder;
import dev.udsboot.socket.SocketFileException;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.SocketFiles;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.ForeignServers;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The socket file across a stream container's life: refused when live, removed on stop, replaced
 * when a killed instance left it behind, and never created for an abstract name.
 */
class StreamListenerLifecycleTests {

	@TempDir
	Path dir;

	private final List<StreamListenerContainer> containers = new ArrayList<>();

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void cleanUp() throws InterruptedException {
		this.containers.forEach(StreamListenerContainer::close);
		for (Process process : this.processes) {
			ForeignServers.killWithSigkill(process);
		}
	}

	@Test
	void startFailsOnALiveSocketOfAnotherProcessAndLeavesItAlone() throws Exception {
		Path path = this.dir.resolve("taken.sock");
		startSocatEcho(path);
		Object key = SocketFiles.fileKeyOf(path);
		StreamListenerContainer container = echo(TestListeners.at(path).name("taken").build());
		assertThatExceptionOfType(UdsStartupException.class).isThrownBy(container::start)
			.withCauseInstanceOf(SocketFileException.class)
			.withMessageContaining("Listener 'taken'")
			.withMessageContaining("uds.listeners.taken.path")
			.withMessageContaining(path.toString())
			.withMessageContaining("another process is accepting connections");
		assertThat(container.isRunning()).isFalse();
		assertThat(SocketFiles.fileKeyOf(path)).isEqualTo(key);
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
			assertThat(client.request("socat")).isEqualTo("socat");
		}
		container.stop();
		container.close();
		assertThat(SocketFiles.fileKeyOf(path)).isEqualTo(key);
		assertThat(listDir()).containsExactly(path);
	}

	@Test
	void secondContainerOnARunningContainersPathFailsAndTheFirstKeepsServing() throws Exception {
		Path path = this.dir.resolve("twice.sock");
		StreamListenerContainer first = echo(TestListeners.at(path).name("first").build());
		first.start();
		StreamListenerContainer second = echo(TestListeners.at(path).name("second").build());
		assertThatExceptionOfType(UdsStartupException.class).isThrownBy(second::start)
			.withCauseInstanceOf(SocketFileException.class)
			.withMessageContaining("Listener 'second'")
			.withMessageContaining(path.toString())
			.withMessageContaining("another listener or the management socket of this application");
		assertThat(first.getSource().socketFile().isStillOurs()).isTrue();
		assertEchoes(path);
		first.stop();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void stopRemovesTheSocketFileAndThePrivateDirectory() throws Exception {
		Path path = this.dir.resolve("stop.sock");
		StreamListenerContainer container = echo(TestListeners.at(path).build());
		container.start();
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(container.getSource().socketFile().isStillOurs()).isTrue();
		assertEchoes(path);
		container.stop();
		assertThat(container.isRunning()).isFalse();
		assertThat(path).doesNotExist();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void anotherContainerStartsOnTheSamePathAfterStop() throws Exception {
		Path path = this.dir.resolve("again.sock");
		StreamListenerContainer first = echo(TestListeners.at(path).name("first").build());
		first.start();
		first.stop();
		assertThat(path).doesNotExist();
		StreamListenerContainer second = echo(TestListeners.at(path).name("second").build());
		second.start();
		// (not compared with the first file's inode number: the filesystem may reuse it)
		assertThat(second.isRunning()).isTrue();
		assertThat(second.getSource().socketFile().isStillOurs()).isTrue();
		assertEchoes(path);
		second.stop();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void startReplacesTheFileOfAnInstanceThatDiedWithoutCleaningUp() throws Exception {
		Path path = this.dir.resolve("died.sock");
		Path abandoned = bindAndDieWithoutCleanup(path);
		StreamListenerContainer container = echo(TestListeners.at(path).build());
		container.start();
		assertThat(container.getSource().socketFile().isStillOurs()).isTrue();
		assertEchoes(path);
		container.stop();
		assertThat(path).doesNotExist();
		// the dead instance's private directory is young: kept until it is old enough to be sure
		assertThat(listDir()).containsExactly(abandoned);
	}

	@Test
	void startCleansUpAnOldPrivateDirectoryOfAnInstanceThatDied() throws Exception {
		Path path = this.dir.resolve("old.sock");
		Path abandoned = bindAndDieWithoutCleanup(path);
		Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
		StreamListenerContainer container = echo(TestListeners.at(path).build());
		container.start();
		assertThat(abandoned).doesNotExist();
		assertEchoes(path);
		container.stop();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void startReplacesTheFileOfAProcessKilledWithSigkill() throws Exception {
		Path path = this.dir.resolve("sigkill.sock");
		Process socat = startSocatEcho(path);
		// its forked children hold the listening socket too: all of them die the way a killed server does
		ForeignServers.killWithSigkill(socat);
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(SocketFiles.isLive(path)).isFalse();
		StreamListenerContainer container = echo(TestListeners.at(path).build());
		container.start();
		assertEchoes(path);
		container.stop();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void abstractListenerCreatesNoFile() throws Exception {
		String name = "udsboot-test-" + UUID.randomUUID();
		StreamListenerContainer container = echo(TestListeners.abstractName(name).build());
		container.start();
		assertThat(container.getSource().socketFile()).isNull();
		assertThat(abstractNamesInUse()).contains("@" + name);
		try (LineClient client = LineClient.connect(UdsAddress.ofAbstractName(name))) {
			assertThat(client.request("abstract")).isEqualTo("abstract");
		}
		assertThat(listDir()).isEmpty();
		assertThat(Path.of(System.getProperty("java.io.tmpdir"), name)).doesNotExist();
		assertThat(Path.of(name)).doesNotExist();
		container.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> !abstractNamesInUse().contains("@" + name));
		assertThat(listDir()).isEmpty();
		assertThat(Path.of(name)).doesNotExist();
	}

	@Test
	void secondContainerOnTheSameAbstractNameFailsClearly() throws Exception {
		String name = "udsboot-test-" + UUID.randomUUID();
		StreamListenerContainer first = echo(TestListeners.abstractName(name).name("first").build());
		first.start();
		StreamListenerContainer second = echo(TestListeners.abstractName(name).name("second").build());
		assertThatExceptionOfType(UdsStartupException.class).isThrownBy(second::start)
			.withMessageContaining("Listener 'second'")
			.withMessageContaining("'" + name + "'")
			.withMessageContaining("another socket holds it");
		assertThat(second.isRunning()).isFalse();
		try (LineClient client = LineClient.connect(UdsAddress.ofAbstractName(name))) {
			assertThat(client.request("first")).isEqualTo("first");
		}
		first.stop();
	}

	private StreamListenerContainer echo(UdsListenerDefinition definition) {
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> EncodedReply.of(payload),
				Duration.ofSeconds(1));
		this.containers.add(container);
		return container;
	}

	/**
	 * Binds as a container would and then "dies": the server socket is closed, the bound file is
	 * not, so the public name and the private directory stay behind.
	 * @return the private directory left behind
	 */
	private Path bindAndDieWithoutCleanup(Path path) throws IOException {
		BoundSocketFile<AFUNIXServerSocket> bound = new SocketFileBinder().bind(path, SocketFileOptions.defaults(),
				(address) -> {
					AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
					server.setReuseAddress(false);
					server.setDeleteOnClose(false);
					server.bind(address, 50);
					return server;
				});
		bound.socket().close();
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(SocketFiles.isLive(path)).isFalse();
		List<Path> left = listDir().stream().filter((entry) -> !entry.equals(path)).toList();
		assertThat(left).hasSize(1);
		assertThat(left.get(0).getFileName().toString()).startsWith(".uds-");
		return left.get(0);
	}



	private static void assertEchoes(Path path) throws IOException {
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
			assertThat(client.request("ping")).isEqualTo("ping");
		}
	}

	private List<Path> listDir() throws IOException {
		try (Stream<Path> entries = Files.list(this.dir)) {
			return entries.toList();
		}
	}

	/** The abstract names bound on this machine, as {@code /proc/net/unix} shows them ({@code @name}). */
	private static List<String> abstractNamesInUse() throws IOException {
		try (Stream<String> lines = Files.lines(Path.of("/proc/net/unix"))) {
			return lines.skip(1)
				.map((line) -> line.trim().split("\\s+"))
				.filter((fields) -> fields.length >= 8 && fields[7].startsWith("@"))
				.map((fields) -> fields[7])
				.toList();
		}
	}

	private Process startSocatEcho(Path path) throws IOException {
		Process socat = ForeignServers.startSocatEcho(path);
		this.processes.add(socat);
		return socat;
	}

}
