package dev.udsboot.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.test.NotifyReceiver;
import dev.udsboot.test.NotifyReceiver.Notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as a real process under a stand-in for systemd: {@code NOTIFY_SOCKET} and
 * {@code WATCHDOG_USEC} in its environment, a {@code python3} receiver on the socket. It sends
 * {@code READY=1} once its listeners accept, pings the watchdog while Actuator's health is UP, and
 * sends {@code STOPPING=1} on SIGTERM, in that order, all from its own pid.
 */
class SystemdNotifyProcessTests {

	@TempDir
	Path dir;

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void killAll() {
		this.processes.forEach(Process::destroyForcibly);
	}

	private Process launch(Map<String, String> environment) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
				System.getProperty("java.class.path"), SampleApplication.class.getName(), "--uds.sample.dir=" + this.dir,
				"--spring.main.banner-mode=off", "--uds.management.path="));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("app.log").toFile());
		// this build's own systemd variables, if it runs under systemd, are not the test's
		builder.environment().keySet().removeAll(List.of("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"));
		builder.environment().putAll(environment);
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	@Test
	void readyThenWatchdogPingsThenStoppingOnSigterm() throws Exception {
		Path echo = this.dir.resolve("echo.sock");
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString(), echo)) {
			Process app = launch(Map.of("NOTIFY_SOCKET", receiver.address(), "WATCHDOG_USEC", "1000000"));
			Notification ready = receiver.await("READY=1", Duration.ofSeconds(60));
			assertThat(ready.pid()).as("sender pid (SCM_CREDENTIALS)").isEqualTo(app.pid());
			assertThat(ready.value("MAINPID")).isEqualTo(String.valueOf(app.pid()));
			assertThat(ready.connect()).as("echo accepted when READY=1 arrived").isEqualTo("ok");
			assertThat(ready.value("STATUS")).startsWith("Serving ").contains("echo (" + echo + ")")
				.contains("events (" + this.dir.resolve("events.sock") + ")");
			// Actuator's health is UP: pings every 500 ms
			await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count("WATCHDOG=1") >= 2);
			app.destroy();
			assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
			Notification stopping = receiver.await("STOPPING=1", Duration.ofSeconds(10));
			assertThat(stopping.pid()).isEqualTo(app.pid());
			assertThat(stopping.connect()).as("echo still accepted when STOPPING=1 arrived").isEqualTo("ok");
			List<Notification> all = receiver.notifications();
			assertThat(all.indexOf(ready)).as("READY=1 before STOPPING=1").isLessThan(all.indexOf(stopping));
			assertThat(all.subList(all.indexOf(stopping) + 1, all.size())).as("no ping after STOPPING=1").isEmpty();
			assertThat(all).allSatisfy((notification) -> assertThat(notification.pid()).isEqualTo(app.pid()));
		}
	}

}
