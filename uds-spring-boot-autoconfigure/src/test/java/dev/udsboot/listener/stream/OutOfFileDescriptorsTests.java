package dev.udsboot.listener.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.test.DescriptorLimitApplication;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream listener in a real process under a real open-files limit ({@code prlimit}), with more
 * clients than the limit allows: those beyond are shed at once (the client reads an end of stream
 * or a reset), one WARN line per interval says so, health is DOWN meanwhile, the shed counter
 * moves, and once the clients go the listener serves again with no descriptor left behind.
 */
class OutOfFileDescriptorsTests {

	private static final int LIMIT = 256;

	private static final Duration SHED_TYPICALLY_WITHIN = Duration.ofMillis(100);

	private static final Duration SHED_WITHIN = Duration.ofSeconds(3);

	@TempDir
	Path dir;

	private final List<AFUNIXSocket> clients = new ArrayList<>();

	private Process child;

	@AfterEach
	void cleanUp() throws Exception {
		closeClients();
		if (this.child != null) {
			this.child.destroyForcibly();
			this.child.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void connectionsBeyondTheLimitAreShedPromptlyCountedAndLoggedOncePerIntervalAndTheListenerRecovers()
			throws Exception {
		this.child = launch();
		await().atMost(Duration.ofSeconds(90)).until(() -> "ping".equals(request("echo.sock", "ping")));
		await().atMost(Duration.ofSeconds(10)).until(() -> log().contains("HEALTH UP"));
		assertThat(log()).contains("uds.listeners.echo.max-connections is 1024, above the process's open-files limit of "
				+ LIMIT + ": ").contains("LimitNOFILE=").contains("ulimit -n");
		int baseline = openDescriptors();

		// served until the process runs out of descriptors
		AFUNIXSocket beyond;
		while (true) {
			AFUNIXSocket client = connect("echo.sock");
			if (!"ping".equals(exchange(client, "ping"))) {
				beyond = client;
				break;
			}
			this.clients.add(client);
			assertThat(this.clients).as("served before running out").hasSizeLessThan(LIMIT);
		}
		beyond.close();
		int served = this.clients.size();
		assertThat(served).as("served before running out").isGreaterThan(LIMIT / 4);

		// every client beyond is shed within a second, for several seconds
		long start = System.nanoTime();
		List<Long> sheddingNanos = new ArrayList<>();
		int shed = 0;
		while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6)) {
			long connected = System.nanoTime();
			try (AFUNIXSocket client = connect("echo.sock")) {
				assertThat(exchange(client, "ping")).as("shed, not served").isNull();
			}
			sheddingNanos.add(System.nanoTime() - connected);
			shed++;
			Thread.sleep(100);
		}
		Collections.sort(sheddingNanos);
		// typically milliseconds; a thread of the process that takes the freed slot first delays
		// shedding while it holds it (a health probe in flight: at most its 2 s timeout)
		assertThat(Duration.ofNanos(sheddingNanos.get(sheddingNanos.size() / 2))).as("median time to be shed")
			.isLessThan(SHED_TYPICALLY_WITHIN);
		assertThat(Duration.ofNanos(sheddingNanos.get(sheddingNanos.size() - 1))).as("slowest shed")
			.isLessThan(SHED_WITHIN);
		String python = python("import socket,time\n" + "s=socket.socket(socket.AF_UNIX)\n" + "s.settimeout(5)\n"
				+ "s.connect('" + this.dir.resolve("echo.sock") + "')\n" + "t=time.monotonic()\n" + "try:\n"
				+ "  s.sendall(b'ping\\n'); r=s.recv(10)\n" + "except (BrokenPipeError, ConnectionResetError):\n"
				+ "  r=b''\n" + "print(repr(r), time.monotonic()-t < 1.0)\n");
		assertThat(python).as("python3 client beyond the limit").isEqualTo("b'' True");
		String during = log();
		long lines = lines(during, "Out of file descriptors");
		assertThat(lines).as("WARN lines over %s s of shedding", secondsSince(start)).isBetween(1L, 2L);
		assertThat(during).contains("WARN").contains("shed ").contains("on listener 'echo'")
			.contains("(open-files limit " + LIMIT + ")")
			.doesNotContain(" ERROR ")
			.doesNotContain("\tat ");
		assertThat(during).contains("HEALTH DOWN the process is out of file descriptors (open-files limit " + LIMIT
				+ "): new connections are closed unserved until descriptors are free");

		// descriptors free again: served at once, counted, healthy, nothing left behind
		closeClients();
		await().atMost(Duration.ofSeconds(10)).until(() -> "ping".equals(request("echo.sock", "ping")));
		await().atMost(Duration.ofSeconds(10)).until(() -> request("stats.sock", "x").endsWith("health=UP"));
		String stats = request("stats.sock", "x");
		long counted = Long.parseLong(stats.substring("shed=".length(), stats.indexOf(' ')));
		assertThat(counted).as(stats).isGreaterThanOrEqualTo(shed + 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> openDescriptors() <= baseline);
		System.out.printf(
				"served %d, shed %d, median shed %.1f ms, slowest %.1f ms, %d WARN line(s) in %d s, descriptors %d -> %d%n",
				served, counted, sheddingNanos.get(sheddingNanos.size() / 2) / 1e6,
				sheddingNanos.get(sheddingNanos.size() - 1) / 1e6, lines, secondsSince(start), baseline,
				openDescriptors());

		this.child.destroy();
		assertThat(this.child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
		assertThat(log()).doesNotContain(" ERROR ");
	}

	private Process launch() throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(RequiredTools.require("prlimit"), "--nofile=" + LIMIT + ":" + LIMIT, java,
				"--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				DescriptorLimitApplication.class.getName(), this.dir.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("child.log").toFile())
			.start();
	}

	private String log() throws IOException {
		return Files.readString(this.dir.resolve("child.log"));
	}

	private static long lines(String log, String containing) {
		return log.lines().filter((line) -> line.contains(containing)).count();
	}

	private static long secondsSince(long start) {
		return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
	}

	/** The child's open descriptors: the JVM's own process is the child of prlimit's exec. */
	private int openDescriptors() {
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(this.child.pid()), "fd"))) {
			return (int) fds.count();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private AFUNIXSocket connect(String socket) throws IOException {
		AFUNIXSocket client = AFUNIXSocket.newInstance();
		client.connect(AFUNIXSocketAddress.of(this.dir.resolve(socket)), 5000);
		client.setSoTimeout(5000);
		return client;
	}

	/** One line out and back; {@code null} if the listener closed the connection unserved. */
	private static String exchange(AFUNIXSocket client, String line) throws IOException {
		try {
			client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			byte[] reply = new byte[256];
			int length = 0;
			while (length == 0 || reply[length - 1] != '\n') {
				int read = client.getInputStream().read(reply, length, reply.length - length);
				if (read < 0) {
					return null;
				}
				length += read;
			}
			return new String(reply, 0, length - 1, StandardCharsets.UTF_8);
		}
		catch (java.net.SocketException ex) {
			// a reset or a broken pipe: closed unserved
			return null;
		}
	}

	private String request(String socket, String line) {
		try (AFUNIXSocket client = connect(socket)) {
			return exchange(client, line);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private void closeClients() throws IOException {
		for (AFUNIXSocket client : this.clients) {
			client.close();
		}
		this.clients.clear();
	}

	private static String python(String script) throws Exception {
		Process process = new ProcessBuilder(RequiredTools.require("python3"), "-c", script).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return output;
	}

}
