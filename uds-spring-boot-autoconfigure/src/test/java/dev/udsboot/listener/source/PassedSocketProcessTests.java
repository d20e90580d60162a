package dev.udsboot.listener.source;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.test.ActivatedApplication;
import dev.udsboot.test.PythonClients;
import dev.udsboot.test.RequiredTools;

import static dev.udsboot.test.PythonClients.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sockets passed by systemd's own {@code systemd-socket-activate}, seen from inside the process
 * ({@link ActivatedApplication}): two activators nested, as systemd's tool allows, pass a stream
 * and a datagram socket to one process, made non-blocking as systemd makes them, and the process
 * runs in a network namespace of its own, as {@code PrivateNetwork=yes} runs it. Stopping and starting the listeners closes only the
 * process's duplicates (junixsocket's own close would shut the passed socket down for every
 * holder), leaves the descriptor count as it was, and the sockets keep serving; a child process
 * the application starts inherits none of them.
 */
class PassedSocketProcessTests {

	/** Makes the passed descriptors non-blocking, as systemd's are, and execs the rest in place. */
	private static final String NON_BLOCKING = """
			import os, sys
			for fd in range(3, 3 + int(os.environ['LISTEN_FDS'])):
			    os.set_blocking(fd, False)
			os.execvp(sys.argv[1], sys.argv[1:])
			""";

	@TempDir
	Path dir;

	private Process app;

	@AfterEach
	void kill() {
		if (this.app != null) {
			this.app.destroyForcibly();
		}
	}

	@Test
	void restartedListenersServeThePassedSocketsAgainAndLeakNothingAndChildrenInheritNone() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		Path events = this.dir.resolve("events.sock");
		String activator = RequiredTools.require("systemd-socket-activate");
		// systemd makes its sockets non-blocking (systemd-socket-activate does not): so does this shim
		this.app = new ProcessBuilder(activator, "-l", echo.toString(), activator, "--datagram", "-l",
				events.toString(), "--fdname=echo:events", RequiredTools.require("python3"), "-c", NON_BLOCKING,
				// a network namespace of its own, as PrivateNetwork=yes gives: its /proc/self/net lists
				// none of the passed sockets, so the starter asks junixsocket what they are
				RequiredTools.require("unshare"), "--net", ProcessHandle.current().info().command().orElse("java"),
				"--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				ActivatedApplication.class.getName(), this.dir.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("app.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(echo, LinkOption.NOFOLLOW_LINKS));
		// the first connection makes the outer activator exec the inner one, which passes both on
		assertThat(stream(echo, "first")).isEqualTo("first");
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(events, LinkOption.NOFOLLOW_LINKS));
		assertThat(datagram(events, "one")).isEqualTo("ACK one");
		String log = Files.readString(this.dir.resolve("app.log"));
		assertThat(log).contains("Listener 'echo' adopts descriptor 3 (named 'echo'")
			.contains("Listener 'events' adopts descriptor 4 (named 'events', an AF_UNIX datagram socket at " + events)
			.doesNotContain("no listener takes");

		Path control = this.dir.resolve("control.sock");
		Map<String, String> before = descriptors();
		assertThat(before.get("3")).startsWith("socket:[");
		assertThat(before.get("4")).startsWith("socket:[");
		Map<String, Long> holdersBefore = holders(before);
		assertThat(holdersBefore.get(before.get("3"))).as("the passed stream socket and one duplicate").isEqualTo(2);
		for (int cycle = 1; cycle <= 3; cycle++) {
			assertThat(stream(control, "restart")).isEqualTo("restarted");
			assertThat(stream(echo, "after restart " + cycle)).isEqualTo("after restart " + cycle);
			assertThat(datagram(events, "after restart " + cycle)).isEqualTo("ACK after restart " + cycle);
		}
		assertThat(stream(control, "events received")).as("every datagram received once, nothing more")
			.isEqualTo("4");
		// stopped, the listener accepts nothing: a connection waits in the socket's queue for the next start
		assertThat(stream(control, "stop echo")).isEqualTo("stopped");
		Process queued = PythonClients.startStream(echo, "queued while stopped");
		Thread.sleep(500);
		assertThat(queued.isAlive()).as("waiting in the queue").isTrue();
		assertThat(stream(control, "start echo")).isEqualTo("started");
		assertThat(output(queued)).isEqualTo("queued while stopped");
		// files (the JVM opens jars as it loads classes) are not what a listener could leak; sockets,
		// selectors and pipes are. The queued client's connection is closed a moment after its reply.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(notFiles(descriptors())).as("descriptors after three stop/start cycles")
				.isEqualTo(notFiles(before)));
		Map<String, String> after = descriptors();
		for (String passed : List.of(before.get("3"), before.get("4"))) {
			assertThat(holders(after).get(passed)).as("descriptors of %s", passed).isEqualTo(holdersBefore.get(passed));
		}
		assertThat(after.get("3")).isEqualTo(before.get("3"));
		assertThat(after.get("4")).isEqualTo(before.get("4"));

		long pid = this.app.pid();
		assertThat(stream(this.dir.resolve("control.sock"), "child"))
			.as("LISTEN_PID names the application, not the child, and the child has no socket")
			.isEqualTo("LISTEN_PID=" + pid + " parent=" + pid + " sockets=none");

		this.app.destroy();
		assertThat(this.app.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(echo).as("systemd's socket files stay").exists();
		assertThat(events).exists();
		assertThat(this.dir.resolve("control.sock")).as("the application's own is removed").doesNotExist();
		assertThat(Files.readString(this.dir.resolve("app.log"))).doesNotContain("ERROR").doesNotContain(" WARN ");
	}

	/** How many of the descriptors refer to each kind of thing that is not a file: socket, pipe, anon_inode:[eventpoll]. */
	private static Map<String, Long> notFiles(Map<String, String> descriptors) {
		return descriptors.values()
			.stream()
			.filter((target) -> !target.startsWith("/"))
			.map((target) -> target.replaceAll(":\\[\\d+\\]$", ""))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	/** Each socket inode of the process, and how many of its descriptors refer to it. */
	private static Map<String, Long> holders(Map<String, String> descriptors) {
		return descriptors.values()
			.stream()
			.filter((target) -> target.startsWith("socket:"))
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	private Map<String, String> descriptors() throws Exception {
		String listing = stream(this.dir.resolve("control.sock"), "fds");
		return Arrays.stream(listing.split(" "))
			.map((entry) -> entry.split("=", 2))
			.collect(Collectors.toMap((pair) -> pair[0], (pair) -> pair[1]));
	}

	private static String stream(Path socket, String line) throws Exception {
		return PythonClients.stream(socket, line);
	}

	private String datagram(Path socket, String payload) throws Exception {
		Path client = this.dir.resolve("client-" + System.nanoTime() + ".sock");
		try {
			return output(PythonClients.startDatagram(socket, client, payload));
		}
		finally {
			Files.deleteIfExists(client);
		}
	}

}
