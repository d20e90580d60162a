package dev.udsboot.socket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.test.ForeignServers;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SocketFileBinder} and {@link BoundSocketFile}: the socket-file rules of the
 * design (live socket and non-sockets left alone, stale socket replaced, one winner of a race, never
 * reachable with wider permissions, only our own inode removed on close).
 */
@ExtendWith(OutputCaptureExtension.class)
class SocketFileBinderTests {

	private static final PrivateSocketBinder<AFUNIXServerSocket> SERVER = (address) -> {
		AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
		server.setReuseAddress(false);
		server.setDeleteOnClose(false);
		server.bind(address, 50);
		return server;
	};

	private static final SocketFileBinder.DatagramOpener DATAGRAM = DatagramChannels::open;

	@TempDir
	Path dir;

	private final SocketFileBinder binder = new SocketFileBinder();

	private final List<Process> processes = new ArrayList<>();

	private final List<AutoCloseableResource> resources = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (AutoCloseableResource resource : this.resources) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				// best effort
			}
		}
		for (Process process : this.processes) {
			ForeignServers.killWithSigkill(process);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "rw-rw----", "rw-------", "0640" })
	void bindsFreshPathWithExactlyTheRequestedMode(String mode) throws Exception {
		Path path = this.dir.resolve("fresh.sock");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options(mode));
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(permissions(path)).isEqualTo(FileModes.parse(mode));
		assertThat(bound.path()).isEqualTo(path);
		assertThat(bound.isStillOurs()).isTrue();
		assertAcceptedBy(bound.socket(), path);
		Path privateDirectory = onlyPrivateDirectory();
		assertThat(permissions(privateDirectory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
		assertThat(SocketFiles.fileKeyOf(privateDirectory.resolve("s"))).isEqualTo(SocketFiles.fileKeyOf(path));
		bound.close();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void setsTheRequestedGroup() throws Exception {
		String group = nobodysGroup();
		Path path = this.dir.resolve("group.sock");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path,
				new SocketFileOptions(FileModes.parse("rw-rw----"), group, false, FileModes.parse("rwx------")));
		PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
				LinkOption.NOFOLLOW_LINKS);
		assertThat(attributes.group().getName()).isEqualTo(group);
		assertThat(attributes.permissions()).isEqualTo(FileModes.parse("rw-rw----"));
		assertAcceptedBy(bound.socket(), path);
	}

	@Test
	void refusesLiveSocketOfAnotherProcessAndLeavesItWorking() throws Exception {
		Path path = this.dir.resolve("live.sock");
		startSocatEcho(path);
		Object keyBefore = SocketFiles.fileKeyOf(path);
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("another process is accepting connections");
		assertThat(SocketFiles.fileKeyOf(path)).isEqualTo(keyBefore);
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
			assertThat(client.request("still there")).isEqualTo("still there");
		}
		assertThat(listDir()).containsExactly(path);
	}

	@Test
	void replacesStaleSocketLeftByAClosedServer(CapturedOutput output) throws Exception {
		Path path = this.dir.resolve("stale.sock");
		createStaleSocket(path);
		Object staleKey = SocketFiles.fileKeyOf(path);
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-------"));
		assertThat(SocketFiles.fileKeyOf(path)).isNotEqualTo(staleKey);
		assertThat(bound.isStillOurs()).isTrue();
		assertThat(permissions(path)).isEqualTo(FileModes.parse("rw-------"));
		assertAcceptedBy(bound.socket(), path);
		assertThat(output).contains("Replaced stale socket file " + path);
		bound.close();
		assertThat(listDir()).isEmpty();
	}

	@Test
	void replacesStaleSocketLeftByAKilledProcess(CapturedOutput output) throws Exception {
		Path path = this.dir.resolve("killed.sock");
		Process socat = startSocatEcho(path);
		// its forked children hold the listening socket too: all of them die the way a killed server does
		ForeignServers.killWithSigkill(socat);
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(SocketFiles.isLive(path)).isFalse();
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"));
		assertThat(bound.isStillOurs()).isTrue();
		assertAcceptedBy(bound.socket(), path);
		assertThat(output).contains("Replaced stale socket file " + path);
	}

	@Test
	void refusesRegularFileAndKeepsItsContent() throws Exception {
		Path path = this.dir.resolve("data.sock");
		Files.writeString(path, "precious data\n");
		Object key = SocketFiles.fileKeyOf(path);
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("a regular file")
			.withMessageContaining("will not be deleted");
		assertThat(path).hasContent("precious data");
		assertThat(SocketFiles.fileKeyOf(path)).isEqualTo(key);
		assertThat(listDir()).containsExactly(path);
	}

	@Test
	void refusesDirectoryAndKeepsIt() throws Exception {
		Path path = this.dir.resolve("dir.sock");
		Files.createDirectory(path);
		Files.writeString(path.resolve("inside"), "kept");
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("a directory");
		assertThat(path).isDirectory();
		assertThat(path.resolve("inside")).hasContent("kept");
		assertThat(listDir()).containsExactly(path);
	}

	@Test
	void refusesFifo() throws Exception {
		Path path = this.dir.resolve("fifo.sock");
		Process mkfifo = new ProcessBuilder(RequiredTools.require("mkfifo"), path.toString()).start();
		assertThat(mkfifo.waitFor()).isZero();
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("a special file");
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.OTHER);
		assertThat(listDir()).containsExactly(path);
	}

	@ParameterizedTest
	@ValueSource(strings = { "regular file", "stale socket", "nothing" })
	void refusesSymbolicLinkAndKeepsItAndItsTarget(String targetKind) throws Exception {
		Path path = this.dir.resolve("link.sock");
		Path target = this.dir.resolve("target");
		switch (targetKind) {
			case "regular file" -> Files.writeString(target, "target data");
			case "stale socket" -> createStaleSocket(target);
			default -> {
			}
		}
		Object targetKey = SocketFiles.fileKeyOf(target);
		Files.createSymbolicLink(path, target);
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("a symbolic link");
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SYMBOLIC_LINK);
		assertThat(Files.readSymbolicLink(path)).isEqualTo(target);
		assertThat(SocketFiles.fileKeyOf(target)).isEqualTo(targetKey);
		if (targetKind.equals("regular file")) {
			assertThat(target).hasContent("target data");
		}
		assertThat(privateDirectories()).isEmpty();
	}

	@Test
	void failsClearlyWhenParentIsMissingAndCreateDirectoriesIsOff() throws Exception {
		Path parent = this.dir.resolve("missing");
		Path path = parent.resolve("app.sock");
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(parent.toString())
			.withMessageContaining("does not exist")
			.withMessageContaining("create-directories");
		assertThat(parent).doesNotExist();
	}

	@Test
	void createsMissingParentsWithExactlyTheDirectoryMode() throws Exception {
		Path outer = this.dir.resolve("a");
		Path parent = outer.resolve("b");
		Path path = parent.resolve("app.sock");
		// rwxrwx--x is wider than the umask 022 lets through and unusual enough not to be a default
		Set<PosixFilePermission> directoryMode = FileModes.parse("0771");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path,
				new SocketFileOptions(FileModes.parse("rw-rw----"), null, true, directoryMode));
		assertThat(permissions(outer)).isEqualTo(directoryMode);
		assertThat(permissions(parent)).isEqualTo(directoryMode);
		assertAcceptedBy(bound.socket(), path);
	}

	@Test
	void refusesParentThatIsARegularFile() throws Exception {
		Path parent = this.dir.resolve("file");
		Files.writeString(parent, "not a directory");
		Path path = parent.resolve("app.sock");
		assertThatExceptionOfType(SocketFileException.class)
			.isThrownBy(() -> bind(path,
					new SocketFileOptions(FileModes.parse("rw-rw----"), null, true, FileModes.parse("rwx------"))))
			.withMessageContaining(parent.toString())
			.withMessageContaining("not a directory");
		assertThat(parent).hasContent("not a directory");
	}

	@Test
	void eightThreadsRacingForOnePathHaveExactlyOneWinner() throws Exception {
		int threads = 8;
		Path path = this.dir.resolve("race.sock");
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 40; round++) {
				// a stale socket in most rounds: replacing it is where binders can get in each other's way
				boolean stale = round % 4 != 0;
				if (stale) {
					createStaleSocket(path);
				}
				CyclicBarrier barrier = new CyclicBarrier(threads);
				List<Future<BoundSocketFile<AFUNIXServerSocket>>> futures = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					futures.add(executor.submit(() -> {
						barrier.await(10, TimeUnit.SECONDS);
						return this.binder.bind(path, options("rw-rw----"), SERVER);
					}));
				}
				List<BoundSocketFile<AFUNIXServerSocket>> winners = new ArrayList<>();
				List<Throwable> failures = new ArrayList<>();
				for (Future<BoundSocketFile<AFUNIXServerSocket>> future : futures) {
					try {
						winners.add(future.get(30, TimeUnit.SECONDS));
					}
					catch (ExecutionException ex) {
						failures.add(ex.getCause());
					}
				}
				try {
					String description = "round " + round + (stale ? " (stale socket present)" : "");
					assertThat(winners).as(description).hasSize(1);
					assertThat(failures).as(description)
						.hasSize(threads - 1)
						.allSatisfy((failure) -> assertThat(failure).isInstanceOf(SocketFileException.class)
							.hasMessageContaining(path.toString()));
					BoundSocketFile<AFUNIXServerSocket> winner = winners.get(0);
					assertThat(winner.isStillOurs()).as(description).isTrue();
					assertAcceptedBy(winner.socket(), path);
				}
				finally {
					winners.forEach(BoundSocketFile::close);
				}
				assertThat(listDir()).as("round " + round + ": files left after closing the winner").isEmpty();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void twoProcessesRacingForOnePathHaveExactlyOneWinner() throws Exception {
		// four binding threads in each of two JVMs: the exclusion has to hold across processes
		int threadsPerProcess = 4;
		Path path = this.dir.resolve("prace.sock");
		Path logs = Files.createTempDirectory("udsrace-logs");
		try {
			List<RaceChild> children = List.of(RaceChild.launch(logs.resolve("first.log")),
					RaceChild.launch(logs.resolve("second.log")));
			for (RaceChild child : children) {
				this.processes.add(child.process);
			}
			for (RaceChild child : children) {
				assertThat(child.receive()).isEqualTo("READY");
			}
			for (int round = 0; round < 10; round++) {
				boolean stale = round % 3 != 0;
				if (stale) {
					createStaleSocket(path);
				}
				long startAt = System.currentTimeMillis() + 200;
				for (RaceChild child : children) {
					child.send("bind " + path + " " + startAt + " " + threadsPerProcess);
				}
				List<String> results = new ArrayList<>();
				for (RaceChild child : children) {
					results.add(child.receive());
				}
				String description = "round " + round + (stale ? " (stale socket present)" : "") + ": " + results;
				List<RaceChild> winners = new ArrayList<>();
				for (int i = 0; i < children.size(); i++) {
					if (!results.get(i).startsWith("won=0 ")) {
						winners.add(children.get(i));
					}
				}
				try {
					assertThat(results).as(description)
						.allSatisfy((result) -> assertThat(result).matches("won=[01] lost=\\d+ unexpected=0.*"));
					assertThat(winners).as(description).hasSize(1);
					assertThat(results.get(0) + results.get(1)).as(description)
						.contains("won=1 lost=" + (threadsPerProcess - 1))
						.contains("won=0 lost=" + threadsPerProcess);
					try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
						assertThat(client.socket().isConnected()).isTrue();
					}
				}
				finally {
					for (RaceChild winner : winners) {
						winner.send("close");
						assertThat(winner.receive()).isEqualTo("CLOSED");
					}
				}
				assertThat(listDir()).as(description + ": files left after closing the winner").isEmpty();
			}
			for (RaceChild child : children) {
				child.send("exit");
				assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			try (Stream<Path> files = Files.list(logs)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(logs);
		}
	}

	@Test
	void inPlaceBindingFailingAfterTheBindLeavesNoFileBehind() throws Exception {
		Path path = this.dir.resolve("datagram.sock");
		SocketFileOptions noSuchGroup = new SocketFileOptions(FileModes.parse("rw-rw----"), "no-such-group-here",
				false, FileModes.parse("rwx------"));
		assertThatThrownBy(() -> this.binder.bindInPlace(path, noSuchGroup, DATAGRAM))
			.isInstanceOf(SocketFileException.class);
		assertThat(listDir()).as("neither the socket file nor a private directory").isEmpty();
	}

	@Test
	void inPlaceBindingRefusesANonSocketAndReplacesAStaleSocket() throws Exception {
		Path file = this.dir.resolve("precious.sock");
		Files.writeString(file, "precious");
		assertThatThrownBy(() -> this.binder.bindInPlace(file, options("rw-rw----"), DATAGRAM))
			.hasMessageContaining("a regular file");
		assertThat(file).hasContent("precious");
		Path stale = this.dir.resolve("stale.sock");
		createStaleSocket(stale);
		try (BoundSocketFile<org.newsclub.net.unix.AFUNIXDatagramChannel> bound = this.binder.bindInPlace(stale,
				options("rw-rw----"), DATAGRAM)) {
			assertThat(bound.isStillOurs()).isTrue();
			assertThat(bound.socket().getLocalAddress().getFile().toPath()).isEqualTo(stale);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stale))).isEqualTo("rw-rw----");
		}
		assertThat(listDir()).containsExactly(file);
	}

	@Test
	void inPlaceBindingRefusesOtherSendersUntilItsModeIsApplied() throws Exception {
		Path path = this.dir.resolve("guarded.sock");
		String probe = """
				import socket, sys
				def attempt(action):
				    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
				    try:
				        action(s)
				        return 'ok'
				    except PermissionError:
				        return 'refused'
				    finally:
				        s.close()
				print(attempt(lambda s: s.sendto(sys.argv[2].encode(), sys.argv[1])),
				      attempt(lambda s: s.connect(sys.argv[1])))
				""";
		List<String> inTheGap = new ArrayList<>();
		SocketFileBinder observed = new SocketFileBinder(() -> {
			try {
				inTheGap.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
				inTheGap.add(runPython(probe, path.toString(), "early"));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		try (BoundSocketFile<org.newsclub.net.unix.AFUNIXDatagramChannel> bound = observed.bindInPlace(path,
				options("rw-------"), DATAGRAM)) {
			assertThat(inTheGap).as("junixsocket leaves the file open to all, and the kernel refuses them")
				.containsExactly("rw-rw-rw-", "refused refused");
			assertThat(runPython(probe, path.toString(), "late")).isEqualTo("ok ok");
			bound.socket().socket().setSoTimeout(5_000);
			java.nio.ByteBuffer received = java.nio.ByteBuffer.allocate(64);
			bound.socket().receive(received);
			assertThat(new String(received.array(), 0, received.position(), StandardCharsets.UTF_8))
				.as("nothing from the gap was queued").isEqualTo("late");
		}
	}

	@Test
	void aJunixsocketThatCannotGuardTheBindFailsItBeforeAnythingIsBound() throws Exception {
		Path path = this.dir.resolve("unguarded.sock");
		SocketFileBinder withoutGuard = new SocketFileBinder(() -> {
		}, withoutBindGuard());
		assertThatThrownBy(() -> withoutGuard.bindInPlace(path, options("rw-------"), DATAGRAM))
			.isInstanceOf(dev.udsboot.UdsStartupException.class)
			.hasMessageContaining("the datagram socket file " + path)
			.satisfies((ex) -> assertThat(((dev.udsboot.UdsStartupException) ex).getAction())
				.contains("uds.accept-missing-workarounds=datagram-bind-guard"));
		assertThat(listDir()).as("neither the socket file nor a private directory").isEmpty();
	}

	@Test
	void aMissingBindGuardThatWasAcceptedBindsUnguarded() throws Exception {
		Path path = this.dir.resolve("accepted.sock");
		SocketFileBinder withoutGuard = new SocketFileBinder(() -> {
		}, withoutBindGuard());
		try (JunixsocketWorkarounds.Acceptance accepted = JunixsocketWorkarounds
			.acceptMissing(Set.of(JunixsocketWorkarounds.Workaround.DATAGRAM_BIND_GUARD));
				BoundSocketFile<org.newsclub.net.unix.AFUNIXDatagramChannel> bound = withoutGuard.bindInPlace(path,
						options("rw-------"), DATAGRAM)) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
			assertThat(bound.socket().isConnected()).as("no guard was connected").isFalse();
		}
	}

	private static JunixsocketWorkarounds withoutBindGuard() {
		return new JunixsocketWorkarounds(java.util.EnumSet.complementOf(
				java.util.EnumSet.of(JunixsocketWorkarounds.Workaround.DATAGRAM_BIND_GUARD)), "9.9.9");
	}

	private static String runPython(String script, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("python3"), "-c", script));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	@Test
	void closeRemovesOwnFileAndPrivateDirectory() throws Exception {
		Path path = this.dir.resolve("own.sock");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"));
		assertThat(privateDirectories()).hasSize(1);
		bound.close();
		assertThat(bound.socket().isClosed()).isTrue();
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.MISSING);
		assertThat(listDir()).isEmpty();
		assertThat(bound.isStillOurs()).isFalse();
		bound.close(); // idempotent
		assertThat(listDir()).isEmpty();
	}

	@Test
	void aFileWithOurInodeNumberButAnotherModificationTimeIsNotOurs() throws Exception {
		// what ext4 does when it gives our deleted inode's number to a new file, with the new
		// file's creation time: the inode number alone would call it ours
		Path path = this.dir.resolve("reused.sock");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"));
		FileTime created = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
		assertThat(bound.isStillOurs()).isTrue();
		Files.setLastModifiedTime(path, FileTime.from(created.toInstant().plusMillis(1)));
		assertThat(bound.isStillOurs()).isFalse();
		bound.close();
		assertThat(SocketFiles.kindOf(path)).as("left alone").isEqualTo(SocketFiles.Kind.SOCKET);
		Files.setLastModifiedTime(path, created);
		Files.delete(path);
	}

	@Test
	void linkingAndChangingTheModeKeepTheFileOurs() throws Exception {
		Path path = this.dir.resolve("kept.sock");
		try (BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"))) {
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
			Path other = this.dir.resolve("other-name.sock");
			Files.createLink(other, path);
			Files.delete(other);
			assertThat(bound.isStillOurs()).isTrue();
		}
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.MISSING);
	}

	@ParameterizedTest
	@ValueSource(strings = { "regular file", "live socket", "stale socket", "symbolic link", "directory" })
	void closeLeavesAReplacementAlone(String replacement, CapturedOutput output) throws Exception {
		Path path = this.dir.resolve("replaced.sock");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"));
		Files.delete(path);
		AFUNIXServerSocket other = null;
		switch (replacement) {
			case "regular file" -> Files.writeString(path, "someone else's");
			case "live socket" -> {
				other = AFUNIXServerSocket.newInstance();
				other.setReuseAddress(false);
				other.setDeleteOnClose(false);
				other.bind(AFUNIXSocketAddress.of(path), 50);
				AFUNIXServerSocket toClose = other;
				this.resources.add(toClose::close);
			}
			case "stale socket" -> createStaleSocket(path);
			case "symbolic link" -> Files.createSymbolicLink(path, this.dir.resolve("elsewhere"));
			case "directory" -> {
				Files.createDirectory(path);
				Files.writeString(path.resolve("inside"), "kept");
			}
			default -> fail("unknown replacement " + replacement);
		}
		Object replacementKey = SocketFiles.fileKeyOf(path);
		SocketFiles.Kind replacementKind = SocketFiles.kindOf(path);
		assertThat(bound.isStillOurs()).isFalse();
		bound.close();
		assertThat(bound.socket().isClosed()).isTrue();
		assertThat(SocketFiles.kindOf(path)).isEqualTo(replacementKind);
		assertThat(SocketFiles.fileKeyOf(path)).isEqualTo(replacementKey);
		assertThat(privateDirectories()).as("private directories left after close").isEmpty();
		assertThat(output).contains("Left " + path + " in place");
		switch (replacement) {
			case "regular file" -> assertThat(path).hasContent("someone else's");
			case "live socket" -> assertAcceptedBy(other, path);
			case "symbolic link" -> assertThat(Files.readSymbolicLink(path)).isEqualTo(this.dir.resolve("elsewhere"));
			case "directory" -> assertThat(path.resolve("inside")).hasContent("kept");
			default -> {
			}
		}
	}

	@Test
	void socketIsNeverReachableWithAWiderModeThanRequested() throws Exception {
		Path path = this.dir.resolve("watched.sock");
		Set<PosixFilePermission> requested = FileModes.parse("rw-------");
		Set<String> observedModes = ConcurrentHashMap.newKeySet();
		Set<String> observedPrivateDirectoryModes = ConcurrentHashMap.newKeySet();
		AtomicInteger observations = new AtomicInteger();
		AtomicBoolean watching = new AtomicBoolean(true);
		Thread watcher = new Thread(() -> {
			int loops = 0;
			while (watching.get()) {
				try {
					Set<PosixFilePermission> mode = Files
						.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
						.permissions();
					observedModes.add(PosixFilePermissions.toString(mode));
					observations.incrementAndGet();
				}
				catch (NoSuchFileException ex) {
					// between binds
				}
				catch (IOException ex) {
					observedModes.add("error: " + ex);
				}
				if (++loops % 64 == 0) {
					for (Path privateDirectory : privateDirectoriesQuietly()) {
						try {
							observedPrivateDirectoryModes.add(PosixFilePermissions.toString(Files
								.readAttributes(privateDirectory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
								.permissions()));
						}
						catch (IOException ex) {
							// removed meanwhile
						}
					}
				}
			}
		}, "mode-watcher");
		watcher.start();
		try {
			for (int i = 0; i < 80; i++) {
				int before = observations.get();
				BoundSocketFile<AFUNIXServerSocket> bound = bind(path,
						new SocketFileOptions(requested, null, false, FileModes.parse("rwx------")));
				// let the watcher see each bound file at least once before it goes again
				await().atMost(Duration.ofSeconds(5))
					.pollInterval(Duration.ofMillis(1))
					.until(() -> observations.get() > before);
				bound.close();
			}
		}
		finally {
			watching.set(false);
			watcher.join(5000);
		}
		assertThat(observations.get()).as("the watcher saw the socket file").isGreaterThanOrEqualTo(80);
		assertThat(observedModes).containsOnly(PosixFilePermissions.toString(requested));
		assertThat(observedPrivateDirectoryModes).containsOnly("rwx------");
		assertThat(listDir()).isEmpty();
	}

	@Test
	void refusesDirectoryTooLongForThePrivatePathAndSuggestsAnAbstractName() throws Exception {
		Path longDirectory = directoryOfLength(94);
		Path path = longDirectory.resolve("s.sock");
		assertThat(path.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
		assertThatExceptionOfType(SocketFileException.class).isThrownBy(() -> bind(path, options("rw-rw----")))
			.withMessageContaining(path.toString())
			.withMessageContaining("too long")
			.withMessageContaining("abstract name");
		try (Stream<Path> entries = Files.list(longDirectory)) {
			assertThat(entries).isEmpty();
		}
	}

	@Test
	void bindsInTheLongestDirectoryThatLeavesRoomForThePrivatePath() throws Exception {
		Path longDirectory = directoryOfLength(93);
		Path path = longDirectory.resolve("s");
		BoundSocketFile<AFUNIXServerSocket> bound = bind(path, options("rw-rw----"));
		assertAcceptedBy(bound.socket(), path);
		bound.close();
		try (Stream<Path> entries = Files.list(longDirectory)) {
			assertThat(entries).isEmpty();
		}
	}

	@Test
	void cleansOnlyAbandonedPrivateDirectoriesHoldingAStaleSocket() throws Exception {
		FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
		Path abandoned = Files.createDirectory(this.dir.resolve(".uds-aaaaaa"));
		createStaleSocket(abandoned.resolve("s"));
		Files.setLastModifiedTime(abandoned, longAgo);
		Path young = Files.createDirectory(this.dir.resolve(".uds-bbbbbb"));
		createStaleSocket(young.resolve("s"));
		Path live = Files.createDirectory(this.dir.resolve(".uds-cccccc"));
		AFUNIXServerSocket liveServer = SERVER.bind(AFUNIXSocketAddress.of(live.resolve("s")));
		this.resources.add(liveServer::close);
		Files.setLastModifiedTime(live, longAgo);
		Path withOtherFiles = Files.createDirectory(this.dir.resolve(".uds-dddddd"));
		createStaleSocket(withOtherFiles.resolve("s"));
		Files.writeString(withOtherFiles.resolve("notes"), "keep");
		Files.setLastModifiedTime(withOtherFiles, longAgo);

		BoundSocketFile<AFUNIXServerSocket> bound = bind(this.dir.resolve("app.sock"), options("rw-rw----"));
		assertThat(abandoned).doesNotExist();
		assertThat(young.resolve("s")).exists();
		assertThat(live.resolve("s")).exists();
		assertThat(withOtherFiles.resolve("notes")).hasContent("keep");
		assertThat(withOtherFiles.resolve("s")).exists();
		assertAcceptedBy(liveServer, live.resolve("s"));
		bound.close();
	}

	// --- helpers

	private BoundSocketFile<AFUNIXServerSocket> bind(Path path, SocketFileOptions options) {
		BoundSocketFile<AFUNIXServerSocket> bound = this.binder.bind(path, options, SERVER);
		this.resources.add(bound::close);
		return bound;
	}

	private static SocketFileOptions options(String mode) {
		return new SocketFileOptions(FileModes.parse(mode), null, false, FileModes.parse("rwx------"));
	}

	private static Set<PosixFilePermission> permissions(Path path) throws IOException {
		return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions();
	}

	private Path directoryOfLength(int bytes) throws IOException {
		String base = this.dir.toAbsolutePath().toString() + "/";
		int padding = bytes - base.length();
		assertThat(padding).as("temp dir %s leaves room for a %d-byte directory", base, bytes).isPositive();
		Path directory = Files.createDirectory(Path.of(base + "d".repeat(padding)));
		assertThat(directory.toString().getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
		return directory;
	}

	private List<Path> listDir() throws IOException {
		try (Stream<Path> entries = Files.list(this.dir)) {
			return entries.toList();
		}
	}

	private List<Path> privateDirectories() throws IOException {
		try (Stream<Path> entries = Files.list(this.dir)) {
			return entries.filter((entry) -> entry.getFileName().toString().startsWith(".uds-")).toList();
		}
	}

	private List<Path> privateDirectoriesQuietly() {
		try {
			return privateDirectories();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private Path onlyPrivateDirectory() throws IOException {
		List<Path> directories = privateDirectories();
		assertThat(directories).hasSize(1);
		return directories.get(0);
	}

	/**
	 * Connects a client to {@code path} and checks that {@code server} accepts it (other pending
	 * connections, such as liveness probes that were closed at once, are skipped).
	 */
	static void assertAcceptedBy(AFUNIXServerSocket server, Path path) throws IOException {
		try (AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path))) {
			client.getOutputStream().write(42);
			client.getOutputStream().flush();
			server.setSoTimeout(5000);
			while (true) {
				try (AFUNIXSocket accepted = server.accept()) {
					accepted.setSoTimeout(5000);
					if (accepted.getInputStream().read() == 42) {
						return;
					}
				}
				catch (SocketTimeoutException ex) {
					fail("the bound server did not accept a connection made through " + path);
				}
			}
		}
	}

	static void createStaleSocket(Path path) throws IOException {
		try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
			server.setReuseAddress(false);
			server.setDeleteOnClose(false);
			server.bind(AFUNIXSocketAddress.of(path), 1);
		}
		assertThat(SocketFiles.kindOf(path)).isEqualTo(SocketFiles.Kind.SOCKET);
		assertThat(SocketFiles.isLive(path)).isFalse();
	}



	private static String nobodysGroup() throws IOException, InterruptedException {
		Process id = new ProcessBuilder(RequiredTools.require("id"), "-gn", "nobody").start();
		String name = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(id.waitFor()).isZero();
		return name;
	}

	@FunctionalInterface
	private interface AutoCloseableResource {

		void close() throws Exception;

	}

	/**
	 * A second JVM that binds with {@link SocketFileBinder} when told to, for the race between
	 * processes. Protocol on stdin: {@code bind <path> <epoch-millis>}, {@code close}, {@code exit};
	 * answers on stdout are prefixed with {@code @@ } (logging also goes to stdout).
	 */
	static final class RaceChild {

		private static final String PREFIX = "@@ ";

		final Process process;

		private final Writer input;

		private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

		private RaceChild(Process process) {
			this.process = process;
			this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			Thread reader = new Thread(() -> {
				try (BufferedReader lines = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = lines.readLine()) != null) {
						if (line.startsWith(PREFIX)) {
							this.answers.add(line.substring(PREFIX.length()));
						}
					}
				}
				catch (IOException ex) {
					// process ended
				}
			}, "race-child-reader");
			reader.setDaemon(true);
			reader.start();
		}

		static RaceChild launch(Path log) throws IOException {
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
					"-cp", System.getProperty("java.class.path"), Main.class.getName())
				.redirectError(log.toFile())
				.start();
			return new RaceChild(process);
		}

		void send(String command) throws IOException {
			this.input.write(command + "\n");
			this.input.flush();
		}

		String receive() throws InterruptedException {
			String answer = this.answers.poll(30, TimeUnit.SECONDS);
			if (answer == null) {
				fail("no answer from race child (alive: " + this.process.isAlive() + ")");
			}
			return answer;
		}

		/**
		 * The child's entry point.
		 */
		static final class Main {

			public static void main(String[] args) throws Exception {
				PrintStream out = System.out;
				SocketFileBinder binder = new SocketFileBinder();
				List<BoundSocketFile<AFUNIXServerSocket>> bound = new ArrayList<>();
				BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
				out.println(PREFIX + "READY");
				out.flush();
				String line;
				while ((line = commands.readLine()) != null) {
					String[] words = line.split(" ");
					switch (words[0]) {
						case "bind" -> out.println(PREFIX + bind(binder, Path.of(words[1]), Long.parseLong(words[2]),
								Integer.parseInt(words[3]), bound));
						case "close" -> {
							bound.forEach(BoundSocketFile::close);
							bound.clear();
							out.println(PREFIX + "CLOSED");
						}
						case "exit" -> {
							bound.forEach(BoundSocketFile::close);
							return;
						}
						default -> out.println(PREFIX + "UNKNOWN " + line);
					}
					out.flush();
				}
				bound.forEach(BoundSocketFile::close);
			}

			private static String bind(SocketFileBinder binder, Path path, long startAt, int threads,
					List<BoundSocketFile<AFUNIXServerSocket>> bound) throws Exception {
				ExecutorService executor = Executors.newFixedThreadPool(threads);
				try {
					List<Future<BoundSocketFile<AFUNIXServerSocket>>> futures = new ArrayList<>();
					for (int i = 0; i < threads; i++) {
						futures.add(executor.submit(() -> {
							while (System.currentTimeMillis() < startAt) {
								Thread.onSpinWait();
							}
							return binder.bind(path, options("rw-rw----"), SERVER);
						}));
					}
					int won = 0;
					int lost = 0;
					List<String> unexpected = new ArrayList<>();
					String lossMessage = "";
					for (Future<BoundSocketFile<AFUNIXServerSocket>> future : futures) {
						try {
							bound.add(future.get(30, TimeUnit.SECONDS));
							won++;
						}
						catch (ExecutionException ex) {
							if (ex.getCause() instanceof SocketFileException failure
									&& String.valueOf(failure.getMessage()).contains(path.toString())) {
								lost++;
								lossMessage = failure.getMessage();
							}
							else {
								unexpected.add(String.valueOf(ex.getCause()));
							}
						}
					}
					return ("won=" + won + " lost=" + lost + " unexpected=" + unexpected.size() + " " + unexpected + " "
							+ lossMessage).replace('\n', ' ');
				}
				finally {
					executor.shutdownNow();
				}
			}

		}

	}

	private Process startSocatEcho(Path path) throws IOException {
		Process socat = ForeignServers.startSocatEcho(path);
		this.processes.add(socat);
		return socat;
	}

}
