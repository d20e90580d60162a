package dev.udsboot.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.test.NotifyReceiver.Notification;
import dev.udsboot.test.NotifyReceiver;
import dev.udsboot.test.PythonClients;
import dev.udsboot.test.RequiredTools;

import static dev.udsboot.test.PythonClients.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app started by systemd's own {@code systemd-socket-activate} (from Debian's
 * {@code systemd} package; it runs without systemd as PID 1): it listens on the socket, starts the
 * app on the first connection or datagram, and passes the socket as descriptor 3 with
 * {@code LISTEN_PID}, {@code LISTEN_FDS} and {@code LISTEN_FDNAMES}. To stand in for systemd
 * across restarts, a few lines of {@code python3} between the activator and the app keep the
 * passed socket and start the app twice, as systemd restarts a service whose socket it keeps; a
 * {@code python3} receiver on {@code NOTIFY_SOCKET} checks each run's readiness.
 */
class SocketActivationTests {

	/** Runs the command after it twice, passing on the descriptors; waits for a file before the second run. */
	private static final String RESTARTER = """
			import os, sys, time
			go, command = sys.argv[1], sys.argv[2:]
			for run in (1, 2):
			    if run == 2:
			        while not os.path.exists(go):
			            time.sleep(0.05)
			    pid = os.fork()
			    if pid == 0:
			        os.environ['LISTEN_PID'] = str(os.getpid())
			        os.execvp(command[0], command)
			    os.waitpid(pid, 0)
			    print('run %d ended' % run, flush=True)
			""";

	@TempDir
	Path dir;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void killAll() {
		for (Process process : this.processes) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	@Test
	void streamSocketPassedByNameIsServedAcrossTwoRunsAndKeptWithItsModeAndQueue() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		Path go = this.dir.resolve("go");
		try (NotifyReceiver notify = NotifyReceiver.bind(this.dir.resolve("notify").toString(), echo)) {
			Process activator = activate("stream",
					List.of("-l", echo.toString(), "--fdname=echo", "-E", "NOTIFY_SOCKET=" + notify.address()),
					List.of("python3", "-c", RESTARTER, go.toString()));
			awaitListening(echo);
			String mode = mode(echo);
			Object inode = inode(echo);
			// the first connection starts the app; its message waits in the socket until the app reads it
			assertThat(streamClient(echo, "before the app started")).isEqualTo("before the app started");
			assertThat(log("stream")).contains("Listener 'echo' adopts descriptor 3 (named 'echo', a listening "
					+ "AF_UNIX stream socket at " + echo + "), passed by systemd");
			assertThat(streamClient(this.dir.resolve("whoami.sock"), "")).as("a listener that binds its own socket")
				.isNotEmpty();
			ProcessHandle firstRun = app(activator);
			Notification ready = notify.await("READY=1", Duration.ofSeconds(60));
			assertThat(ready.pid()).isEqualTo(firstRun.pid());
			assertThat(ready.connect()).as("the adopted socket accepted when READY=1 arrived").isEqualTo("ok");
			firstRun.destroy();
			await().atMost(Duration.ofSeconds(30)).until(() -> log("stream").contains("run 1 ended"));
			assertThat(notify.await("STOPPING=1", Duration.ofSeconds(10)).pid()).isEqualTo(firstRun.pid());
			assertThat(log("stream")).contains("Stopped listener 'echo'");
			assertThat(echo).as("the socket file is systemd's: left in place").exists();
			assertThat(mode(echo)).isEqualTo(mode);
			assertThat(inode(echo)).isEqualTo(inode);
			assertThat(this.dir.resolve("whoami.sock")).as("the app's own socket file is removed").doesNotExist();
			// nothing serves the socket now: a connection waits in its queue for the next run
			Process queued = started(PythonClients.startStream(echo, "queued between runs"));
			Thread.sleep(500);
			assertThat(queued.isAlive()).as("waiting for an answer").isTrue();
			Files.createFile(go);
			assertThat(output(queued)).isEqualTo("queued between runs");
			ProcessHandle secondRun = app(activator);
			assertThat(secondRun.pid()).isNotEqualTo(firstRun.pid());
			await().atMost(Duration.ofSeconds(60)).until(() -> notify.notifications()
				.stream()
				.anyMatch((notification) -> notification.has("READY=1") && notification.pid() == secondRun.pid()));
			secondRun.destroy();
			assertThat(activator.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(log("stream")).contains("run 2 ended").doesNotContain("ERROR");
			assertThat(mode(echo)).isEqualTo(mode);
			assertThat(inode(echo)).isEqualTo(inode);
		}
	}

	@Test
	void datagramSocketPassedByNameAnswersTheDatagramThatStartedTheApp() throws Exception {
		Path events = this.dir.resolve("events.sock");
		Process activator = activate("datagram", List.of("--datagram", "-l", events.toString(), "--fdname=events"),
				List.of());
		awaitListening(events);
		Process client = started(PythonClients.startDatagram(events, this.dir.resolve("client.sock"),
				"started by a datagram"));
		assertThat(output(client)).isEqualTo("ACK");
		assertThat(log("datagram")).contains("Listener 'events' adopts descriptor 3 (named 'events', an AF_UNIX "
				+ "datagram socket at " + events + ")");
		activator.destroy();
		assertThat(activator.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(log("datagram")).contains("Stopped listener 'events'").doesNotContain("ERROR");
		assertThat(events).as("the socket file is systemd's: left in place").exists();
	}

	@Test
	void socketPassedWithoutANameIsMatchedByItsAddressAndOthersAreReportedInOneWarnLine() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		Path spare = this.dir.resolve("spare.sock");
		Process activator = activate("address", List.of("-l", echo.toString(), "-l", spare.toString()), List.of());
		awaitListening(echo);
		assertThat(streamClient(echo, "by address")).isEqualTo("by address");
		String log = log("address");
		assertThat(log).contains("Listener 'echo' adopts descriptor 3 (named 'unknown', a listening AF_UNIX stream "
				+ "socket at " + echo + ")");
		assertThat(log.lines().filter((line) -> line.contains(" WARN ")).toList()).singleElement()
			.asString()
			.contains("systemd passed 1 socket(s) that no listener takes: descriptor 4 (named 'unknown', a listening "
					+ "AF_UNIX stream socket at " + spare + ")");
		Path management = this.dir.resolve("management.sock");
		await().atMost(Duration.ofSeconds(30)).until(() -> health(management).contains("\"status\":\"UP\""));
		Files.delete(echo);
		assertThat(health(management)).as("the adopted listener's health once systemd's file is gone")
			.contains("the socket file " + echo + " (systemd's) was deleted");
		activator.destroy();
		assertThat(activator.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void requiredWithNothingPassedFailsWithAReportNamingTheListener() throws Exception {
		Process app = activate("required", null, List.of(), "--uds.listeners.echo.activation=required");
		assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(app.exitValue()).isNotZero();
		assertThat(log("required")).contains("APPLICATION FAILED TO START")
			.contains("Listener 'echo' has uds.listeners.echo.activation=required, but systemd passed no socket named "
					+ "'echo' or bound at " + this.dir.resolve("echo.sock")
					+ " (this process was not socket-activated (LISTEN_PID and LISTEN_FDS are not set)).")
			.contains("FileDescriptorName=echo");
	}

	@Test
	void datagramSocketPassedForTheStreamListenerFailsWithAReportNamingTheDescriptor() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		assertThat(failedStart(List.of("--datagram", "-l", echo.toString(), "--fdname=echo"), "UNIX-SENDTO:" + echo))
			.contains("Listener 'echo' (a stream listener) cannot serve descriptor 3 (named 'echo', an AF_UNIX "
					+ "datagram socket at " + echo + "), passed by systemd: it needs a listening AF_UNIX stream socket.")
			.doesNotContain("Started listener");
		assertThat(echo).exists();
	}

	@Test
	void connectedSocketOfAcceptYesFailsWithAReportNamingTheDescriptor() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		// --accept: one process per connection, given the connection itself, as Accept=yes does
		assertThat(failedStart(List.of("--accept", "-l", echo.toString(), "--fdname=echo"), "UNIX-CONNECT:" + echo))
			.contains("Listener 'echo' (a stream listener) cannot serve descriptor 3 (named 'echo', a connected "
					+ "AF_UNIX stream socket")
			.contains("it needs a listening AF_UNIX stream socket.")
			.contains("(and Accept=no)");
	}

	@Test
	void tcpSocketPassedForTheStreamListenerFailsWithAReportNamingTheDescriptor() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		assertThat(failedStart(List.of("-l", "127.0.0.1:" + port, "--fdname=echo"), "TCP:127.0.0.1:" + port))
			.contains("Listener 'echo' (a stream listener) cannot serve descriptor 3 (named 'echo', a TCP socket at "
					+ "127.0.0.1:" + port + "), passed by systemd");
	}

	@Test
	void socketNamedAfterATcpListenerFailsWithAReportSayingItOpensItsOwnPort() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		assertThat(failedStart(List.of("-l", "127.0.0.1:" + port, "--fdname=echo-tcp"), "TCP:127.0.0.1:" + port))
			.contains("Listener 'echo-tcp' is a TCP listener, but systemd passed descriptor 3 (named 'echo-tcp', a TCP "
					+ "socket at 127.0.0.1:" + port + ") for it: a TCP listener opens its own port");
	}

	@Test
	void socketNamedAfterTheListenerButBoundElsewhereFailsWithAReport() throws Exception {
		Path elsewhere = this.dir.resolve("elsewhere.sock");
		assertThat(failedStart(List.of("-l", elsewhere.toString(), "--fdname=echo"), "UNIX-CONNECT:" + elsewhere))
			.contains("Listener 'echo' is at " + this.dir.resolve("echo.sock") + " (uds.listeners.echo.path), but the "
					+ "socket systemd passed for it is elsewhere: descriptor 3 (named 'echo', a listening AF_UNIX stream "
					+ "socket at " + elsewhere + ").");
	}

	@Test
	void twoSocketsForOneListenerFailWithAReportNamingBoth() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		Path other = this.dir.resolve("other.sock");
		assertThat(failedStart(List.of("-l", echo.toString(), "-l", other.toString(), "--fdname=by-address:echo"),
				"UNIX-CONNECT:" + echo))
			.contains("Listener 'echo' matches 2 sockets passed by systemd: descriptor 3 (named 'by-address', a "
					+ "listening AF_UNIX stream socket at " + echo + "), descriptor 4 (named 'echo'");
	}

	@Test
	void managementSocketPassedBySystemdFailsWithAReportSayingWhy() throws Exception {
		Path management = this.dir.resolve("management.sock");
		assertThat(failedStart(List.of("-l", management.toString()), "UNIX-CONNECT:" + management))
			.contains("The management socket " + management + " (uds.management.path) was passed by systemd as "
					+ "descriptor 3")
			.contains("Tomcat, takes an inherited socket only on descriptor 0");
	}

	/**
	 * Starts the sample app under {@code systemd-socket-activate} with the options given, sends a
	 * line to the address given (socat's) to make it start, and waits for it to fail.
	 * @return its output, with the failure report
	 */
	private String failedStart(List<String> activatorOptions, String address) throws Exception {
		Process activator = activate("failed", activatorOptions, List.of());
		await().atMost(Duration.ofSeconds(10)).until(() -> log("failed").contains("Listening on"));
		ExternalProcess.run(List.of("socat", "-u", "-", address), "start\n");
		await().atMost(Duration.ofSeconds(60)).until(() -> log("failed").contains("APPLICATION FAILED TO START"));
		activator.destroy();
		return log("failed");
	}

	@Test
	void theReadmesUnitPairPassesSystemdAnalyzeVerify() throws Exception {
		String readme = Files.readString(Path.of("../README.md"));
		int start = readme.indexOf("\n## Running under systemd\n");
		assertThat(start).isNotNegative();
		String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
		java.util.regex.Matcher ini = java.util.regex.Pattern.compile("```ini\n(.*?)```", java.util.regex.Pattern.DOTALL)
			.matcher(section);
		List<Path> units = new ArrayList<>();
		for (String unit : List.of("uds-sample.socket", "uds-sample.service")) {
			assertThat(ini.find()).as("an ini block for %s", unit).isTrue();
			units.add(Files.writeString(this.dir.resolve(unit), ini.group(1)));
		}
		List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
		units.forEach((unit) -> command.add(unit.toString()));
		ExternalProcess.Result verified = ExternalProcess.run(command, "");
		assertThat(verified.exitCode()).as(verified.stderr()).isZero();
		assertThat(verified.stdout() + verified.stderr()).as("systemd-analyze finds nothing to say").isEmpty();
		assertThat(Files.readString(units.get(0))).contains("ListenStream=/run/uds-sample/echo.sock")
			.contains("ListenDatagram=/run/uds-sample/events.sock");
		assertThat(Files.readString(units.get(1))).contains("Type=notify").contains("WatchdogSec=");
	}

	/**
	 * Starts the sample app under {@code systemd-socket-activate} with the options given, or
	 * directly if they are {@code null}; {@code between} runs between the activator and the app.
	 */
	private Process activate(String name, List<String> activatorOptions, List<String> between, String... arguments)
			throws IOException {
		List<String> command = new ArrayList<>();
		if (activatorOptions != null) {
			command.add(RequiredTools.require("systemd-socket-activate"));
			command.addAll(activatorOptions);
		}
		if (!between.isEmpty()) {
			RequiredTools.require(between.get(0));
		}
		command.addAll(between);
		command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
				"--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--uds.sample.dir=" + this.dir, "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve(name + ".log").toFile())
			.start();
		this.processes.add(process);
		return process;
	}

	private static String health(Path management) throws Exception {
		return ExternalProcess.run(List.of("curl", "-s", "--unix-socket", management.toString(),
				"http://localhost/actuator/health/uds/echo"), "").stdout();
	}

	private static void awaitListening(Path socket) {
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
	}

	/** The app's JVM: the activator itself once it has exec'd, or the restarter's child. */
	private static ProcessHandle app(Process activator) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> java(activator.toHandle()).orElse(null), (handle) -> handle != null);
	}

	private static java.util.Optional<ProcessHandle> java(ProcessHandle handle) {
		if (handle.info().command().orElse("").endsWith("/java")) {
			return java.util.Optional.of(handle);
		}
		return handle.children().filter((child) -> child.info().command().orElse("").endsWith("/java")).findFirst();
	}

	private String streamClient(Path socket, String line) throws Exception {
		return output(started(PythonClients.startStream(socket, line)));
	}

	/** Keeps a client to kill after the test, should it still wait. */
	private Process started(Process client) {
		this.processes.add(client);
		return client;
	}

	private String log(String name) throws IOException {
		return Files.readString(this.dir.resolve(name + ".log"));
	}

	private static String mode(Path file) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
	}

	private static Object inode(Path file) throws IOException {
		return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
	}

}
