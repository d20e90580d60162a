package dev.udsboot.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.test.NotifyReceiver;
import dev.udsboot.test.NotifyReceiver.Notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AOT-processed sample app (the build's {@code process-aot}, see the {@code aot} profile) as a
 * process with {@code -Dspring.aot.enabled=true}: the same client checks as in the JVM
 * ({@link SampleClientChecks}), Actuator's health over the management socket with {@code curl},
 * and a stand-in for systemd told {@code READY=1} and pinged, although the machine that
 * AOT-processed the app had no {@code NOTIFY_SOCKET}.
 */
class AotSampleAppTests extends SampleClientChecks {

	@TempDir
	static Path dir;

	private static NotifyReceiver systemd;

	private static Process app;

	private static int tcpPort;

	private static Notification ready;

	@BeforeAll
	static void startAotProcessedApp() throws Exception {
		try (ServerSocket free = new ServerSocket(0)) {
			tcpPort = free.getLocalPort();
		}
		systemd = NotifyReceiver.bind(dir.resolve("notify").toString(), dir.resolve("echo.sock"));
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
				"-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--uds.sample.dir=" + dir, "--uds.sample.tcp-port=" + tcpPort,
				"--spring.main.banner-mode=off"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("app.log").toFile());
		builder.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
		builder.environment().put("NOTIFY_SOCKET", systemd.address());
		builder.environment().put("WATCHDOG_USEC", "1000000");
		app = builder.start();
		ready = systemd.await("READY=1", Duration.ofSeconds(60));
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (app != null) {
				app.destroy();
				assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			if (systemd != null) {
				systemd.close();
			}
		}
	}

	@Override
	Path sampleDir() {
		return dir;
	}

	@Override
	String echoTcpAddress() {
		return "127.0.0.1:" + tcpPort;
	}

	@Test
	void theAppRunsAotProcessedWithoutErrors() throws IOException {
		String log = Files.readString(dir.resolve("app.log"));
		assertThat(log).contains("Starting AOT-processed SampleApplication").doesNotContain(" ERROR ")
			.doesNotContain(" WARN ");
	}

	@Test
	void curlGetsTheHealthOfEveryListenerOverTheManagementSocket() throws Exception {
		ExternalProcess.Result result = ExternalProcess.run(List.of("curl", "-s", "--unix-socket",
				dir.resolve("management.sock").toString(), "http://localhost/actuator/health/uds"), "");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).endsWith("\"status\":\"UP\"}");
		for (String listener : List.of("echo", "echo-tcp", "echo-descriptors", "digest", "events", "whoami")) {
			assertThat(result.stdout()).containsPattern("\"" + listener + "\":\\{\"details\":\\{[^}]*\\}[^}]*\\},\"status\":\"UP\"");
		}
	}

	@Test
	void systemdIsToldReadyOnceTheListenersAcceptAndIsPinged() {
		assertThat(ready.pid()).as("sender pid (SCM_CREDENTIALS)").isEqualTo(app.pid());
		assertThat(ready.connect()).as("echo accepted when READY=1 arrived").isEqualTo("ok");
		await().atMost(Duration.ofSeconds(30)).until(() -> systemd.count("WATCHDOG=1") >= 2);
	}

}
