package dev.udsboot.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.stream.StreamListenerContainer;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.Nobody;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the socket file's mode and group against a real other user: a python3 client run as
 * {@code nobody} (through {@code setpriv}) connects to a listener bound by this (root) process in a
 * world-traversable directory.
 */
class SocketFilePermissionTests {

	private static final String CLIENT = """
			import os, socket, sys
			path = sys.argv[1]
			os.stat(path)  # the directory is traversable: a refusal below is the socket's own mode
			print('stat ok', flush=True)
			s = socket.socket(socket.AF_UNIX)
			s.settimeout(10)
			s.connect(path)
			s.sendall(b'hi\\n')
			data = b''
			while not data.endswith(b'\\n'):
			    chunk = s.recv(100)
			    if not chunk:
			        break
			    data += chunk
			print('reply ' + data.decode().strip(), flush=True)
			""";

	private Path dir;

	private final List<StreamListenerContainer> containers = new ArrayList<>();

	@BeforeEach
	void createWorldTraversableDirectory() throws IOException {
		// not under @TempDir: its 0700 directory would keep nobody out whatever the socket's mode
		this.dir = Nobody.createReachableDirectory("udsperm");
	}

	@AfterEach
	void cleanUp() throws IOException {
		this.containers.forEach(StreamListenerContainer::close);
		Nobody.deleteDirectory(this.dir);
	}

	@Test
	void groupOnlyModeKeepsOtherUsersOut() throws Exception {
		Path path = startEcho("rw-rw----", null);
		assertThat(permissionString(path)).isEqualTo("rw-rw----");
		Nobody.Result result = connectAsNobody(path);
		assertThat(result.exitCode()).as(result.toString()).isNotZero();
		assertThat(result.stdout()).as(result.toString()).contains("stat ok").doesNotContain("reply");
		assertThat(result.stderr()).as(result.toString()).contains("PermissionError");
		assertEchoesForOwner(path);
	}

	@Test
	void worldModeLetsOtherUsersConnect() throws Exception {
		Path path = startEcho("rw-rw-rw-", null);
		assertThat(permissionString(path)).isEqualTo("rw-rw-rw-");
		Nobody.Result result = connectAsNobody(path);
		assertThat(result.exitCode()).as(result.toString()).isZero();
		assertThat(result.stdout()).as(result.toString()).contains("reply hi");
	}

	@Test
	void fileGroupLetsItsMembersConnectWithGroupOnlyMode() throws Exception {
		Path path = startEcho("0660", Nobody.group());
		Nobody.Result result = connectAsNobody(path);
		assertThat(result.exitCode()).as(result.toString()).isZero();
		assertThat(result.stdout()).as(result.toString()).contains("reply hi");
	}

	@Test
	void privateNameIsNotReachableByOtherUsersWhateverTheMode() throws Exception {
		Path path = startEcho("rw-rw-rw-", null);
		List<Path> privateDirectories;
		try (Stream<Path> entries = Files.list(this.dir)) {
			privateDirectories = entries.filter((entry) -> entry.getFileName().toString().startsWith(".uds-"))
				.toList();
		}
		assertThat(privateDirectories).hasSize(1);
		Path privateSocket = privateDirectories.get(0).resolve("s");
		assertThat(SocketFiles.fileKeyOf(privateSocket)).isEqualTo(SocketFiles.fileKeyOf(path));
		assertThat(permissionString(privateDirectories.get(0))).isEqualTo("rwx------");
		Nobody.Result result = Nobody.run(null, Nobody.python(), "-c",
				"import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])",
				privateSocket.toString());
		assertThat(result.exitCode()).as(result.toString()).isNotZero();
		assertThat(result.stderr()).as(result.toString()).contains("PermissionError");
	}

	private Path startEcho(String mode, String fileGroup) {
		Path path = this.dir.resolve("perm.sock");
		SocketFileOptions options = new SocketFileOptions(FileModes.parse(mode), fileGroup, false,
				FileModes.parse("rwx------"));
		UdsListenerDefinition definition = TestListeners.at(path).socketFile(options).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> EncodedReply.of(payload),
				Duration.ofSeconds(1));
		this.containers.add(container);
		container.start();
		return path;
	}

	private static void assertEchoesForOwner(Path path) throws IOException {
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(path))) {
			assertThat(client.request("owner")).isEqualTo("owner");
		}
	}

	private static String permissionString(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	private static Nobody.Result connectAsNobody(Path path) throws IOException, InterruptedException {
		return Nobody.run(null, Nobody.python(), "-c", CLIENT, path.toString());
	}




}
