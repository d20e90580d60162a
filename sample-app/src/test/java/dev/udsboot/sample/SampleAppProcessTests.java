package dev.udsboot.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as a real process: SIGTERM removes its socket file, SIGKILL leaves a stale one
 * that the next start replaces, of two instances started at once exactly one serves, and curl gets
 * its health over the management socket, as a web application and as a non-web one.
 */
class SampleAppProcessTests {

	@TempDir
	Path dir;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void killAll() {
		this.processes.forEach(Process::destroyForcibly);
	}

	private Process launch(String name) throws IOException {
		// no management socket: two instances at once must not race for it
		return launch(name, "--uds.management.path=");
	}

	private Process launch(String name, String... arguments) throws IOException {
		return launch(name, List.of("-cp", System.getProperty("java.class.path"), SampleApplication.class.getName()),
				arguments);
	}

	/**
	 * Launches the sample app as an executable jar runs it: from a class loader of its own, the
	 * system class loader having none of its classes ({@link ApplicationClassLoaderMain}).
	 */
	private Process launchAsFromAJar(String name, String... arguments) throws Exception {
		String launcher = Path.of(ApplicationClassLoaderMain.class.getProtectionDomain().getCodeSource().getLocation()
			.toURI()).toString();
		return launch(name, List.of("-Dapplication.class.path=" + System.getProperty("java.class.path"), "-cp",
				launcher, ApplicationClassLoaderMain.class.getName(), SampleApplication.class.getName()), arguments);
	}

	private Process launch(String name, List<String> main, String... arguments) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m"));
		command.addAll(main);
		command.addAll(List.of("--uds.sample.dir=" + this.dir, "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve(name + ".log").toFile())
			.start();
		this.processes.add(process);
		return process;
	}

	private Path echoSocket() {
		return this.dir.resolve("echo.sock");
	}

	private boolean echoes() {
		try (AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(echoSocket()))) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write("ping\n".getBytes());
			byte[] reply = socket.getInputStream().readNBytes(5);
			return new String(reply).equals("ping\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private String log(String name) throws IOException {
		return Files.readString(this.dir.resolve(name + ".log"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "servlet", "none" })
	void curlGetsHealthOverTheManagementSocketAnd503OnceAListenersFileIsDeleted(String webApplicationType)
			throws Exception {
		Path management = this.dir.resolve("management.sock");
		Process app = launch(webApplicationType, "--spring.main.web-application-type=" + webApplicationType);
		await().atMost(Duration.ofSeconds(60)).until(this::echoes);
		// the listeners answer a moment before the application is ready (liveness and readiness
		// are part of health): wait for that, not only for the sockets
		await().atMost(Duration.ofSeconds(30)).until(() -> curl(management, "/actuator/health").status() == 200);
		Curl up = curl(management, "/actuator/health");
		assertThat(up.status()).as(up.body()).isEqualTo(200);
		assertThat(up.json().at("/status").asString()).isEqualTo("UP");
		for (String listener : List.of("echo", "whoami", "digest", "events", "echo-descriptors")) {
			assertThat(up.json().at("/components/uds/components/" + listener + "/status").asString()).as(listener)
				.isEqualTo("UP");
		}
		Files.delete(echoSocket());
		Curl down = curl(management, "/actuator/health");
		assertThat(down.status()).as(down.body()).isEqualTo(503);
		assertThat(down.json().at("/status").asString()).isEqualTo("DOWN");
		assertThat(down.json().at("/components/uds/status").asString()).isEqualTo("DOWN");
		assertThat(down.json().at("/components/uds/components/echo/details/listener").asString()).isEqualTo("echo");
		assertThat(down.json().at("/components/uds/components/echo/details/reason").asString())
			.isEqualTo("the socket file " + echoSocket() + " was deleted");
		assertThat(down.json().at("/components/uds/components/whoami/status").asString()).isEqualTo("UP");
		assertThat(curl(management, "/actuator/env").status()).as("not exposed").isEqualTo(404);
		assertThat(log(webApplicationType).contains("Tomcat started on port"))
			.as("the application's own web server").isEqualTo(webApplicationType.equals("servlet"));
		app.destroy();
		assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(management).as("removed on shutdown").doesNotExist();
		String log = log(webApplicationType);
		assertThat(log).contains("Serving Actuator over " + management)
			.contains("Stopped serving Actuator over " + management)
			.as("the management socket's Tomcat logs nothing of its own")
			.doesNotContain("uds-management-")
			.doesNotContain("JdbcLeakPrevention")
			.doesNotContain("--add-opens");
		if (webApplicationType.equals("none")) {
			assertThat(log).as("no web server in a non-web application")
				.doesNotContain("Starting Servlet engine")
				.doesNotContain("Starting service")
				.doesNotContain("Stopping service")
				.doesNotContain("o.apache.catalina")
				.doesNotContain("ProtocolHandler");
		}
	}

	@Test
	void aFailedStartupLogsItsCauseFirstWithNoStackTraceFromTheManagementSocketsTomcat() throws Exception {
		Files.writeString(echoSocket(), "a regular file");
		Process app = launchAsFromAJar("failed", "--spring.main.web-application-type=none");
		assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(app.exitValue()).isNotZero();
		String log = log("failed");
		assertThat(log).contains("Serving Actuator over " + this.dir.resolve("management.sock"))
			.contains("APPLICATION FAILED TO START")
			.contains("Listener 'echo' could not bind its socket " + echoSocket()
					+ " (uds.listeners.echo.path): it is a regular file, not a socket.")
			.doesNotContain("JDBC driver de-registration")
			.doesNotContain("JdbcLeakPrevention")
			.doesNotContain("--add-opens")
			.doesNotContain("Starting Servlet engine")
			.doesNotContain("Stopping service");
		// the cause is a failure report: no stack trace at all
		assertThat(log).as("no stack trace").doesNotContain("\tat ");
		assertThat(log.lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.as("only Spring's report of the failure warns")
			.allMatch((line) -> line.contains("cancelling refresh attempt")
					|| line.contains("LoggingFailureAnalysisReporter"));
	}

	private static Curl curl(Path socket, String path) throws Exception {
		Process process = new ProcessBuilder(dev.udsboot.test.RequiredTools.require("curl"), "--silent",
				"--show-error", "--max-time", "10", "--unix-socket", socket.toString(), "--write-out",
				"\n%{http_code}", "http://localhost" + path)
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		int newline = output.lastIndexOf('\n');
		return new Curl(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline));
	}

	private record Curl(int status, String body) {

		tools.jackson.databind.JsonNode json() {
			return new tools.jackson.databind.json.JsonMapper().readTree(this.body);
		}

	}

	@Test
	void sigtermRemovesTheSocketFile() throws Exception {
		Process app = launch("first");
		await().atMost(Duration.ofSeconds(60)).until(this::echoes);
		app.destroy();
		assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(echoSocket()).doesNotExist();
		assertThat(log("first")).contains("Stopped listener 'echo'");
	}

	@Test
	void afterSigkillTheNextStartReplacesTheStaleFile() throws Exception {
		Process first = launch("first");
		await().atMost(Duration.ofSeconds(60)).until(this::echoes);
		first.destroyForcibly();
		assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(echoSocket()).as("SIGKILL leaves the file").exists();
		assertThat(echoes()).isFalse();
		launch("second");
		await().atMost(Duration.ofSeconds(60)).until(this::echoes);
		assertThat(log("second")).contains("Replaced stale socket file " + echoSocket());
	}

	@Test
	void twoInstancesStartedAtOnceNeverBothServe() throws Exception {
		Process first = launch("first");
		Process second = launch("second");
		await().atMost(Duration.ofSeconds(60)).until(() -> !first.isAlive() || !second.isAlive());
		Process loser = first.isAlive() ? second : first;
		Process winner = (loser == first) ? second : first;
		String loserLog = log(loser == first ? "first" : "second");
		assertThat(loser.exitValue()).isNotZero();
		assertThat(loserLog).contains("APPLICATION FAILED TO START", "could not bind its socket " + this.dir)
			.containsAnyOf("another process is accepting", "another instance started at the same time");
		await().atMost(Duration.ofSeconds(60)).until(this::echoes);
		assertThat(winner.isAlive()).isTrue();
		try (var entries = Files.list(this.dir)) {
			List<Path> all = entries.toList();
			List<Path> privateDirectories = all.stream()
				.filter((p) -> p.getFileName().toString().startsWith(".uds-"))
				.toList();
			List<Object> socketInodes = new java.util.ArrayList<>();
			for (Path socket : all) {
				if (socket.getFileName().toString().endsWith(".sock")) {
					socketInodes.add(Files.readAttributes(socket, "unix:ino").get("ino"));
				}
			}
			assertThat(socketInodes).hasSizeGreaterThanOrEqualTo(2);
			// each stream listener's socket is linked from its private directory; datagram ones
			// are bound in place and have none
			assertThat(privateDirectories).hasSizeBetween(1, socketInodes.size());
			for (Path privateDirectory : privateDirectories) {
				Path socket = privateDirectory.resolve("s");
				assertThat(Files.exists(socket) && dev.udsboot.socket.SocketFiles.isLive(socket))
					.as("the loser left no private directory behind: %s", privateDirectory)
					.isTrue();
				assertThat(socketInodes).contains(Files.readAttributes(socket, "unix:ino").get("ino"));
			}
		}
	}

	@Test
	void aLiveSocketOfAnotherProgramIsLeftAlone() throws Exception {
		Process socat = new ProcessBuilder(dev.udsboot.test.RequiredTools.require("socat"), "UNIX-LISTEN:" + echoSocket() + ",fork",
				"EXEC:cat")
			.start();
		this.processes.add(socat);
		await().atMost(Duration.ofSeconds(10)).until(this::echoes);
		Object inode = Files.readAttributes(echoSocket(), "unix:ino").get("ino");
		Process app = launch("app");
		assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(app.exitValue()).isNotZero();
		assertThat(log("app")).contains("APPLICATION FAILED TO START", "Listener 'echo' could not bind its socket "
				+ echoSocket() + " (uds.listeners.echo.path): another process is accepting connections on it.");
		assertThat(Files.readAttributes(echoSocket(), "unix:ino").get("ino")).isEqualTo(inode);
		assertThat(echoes()).as("socat still serves").isTrue();
		try (var entries = Files.list(this.dir)) {
			assertThat(entries.map(Path::getFileName).map(Path::toString).filter((n) -> n.startsWith(".uds-")))
				.as("the refused instance left no private directory")
				.isEmpty();
		}
	}

}
