package dev.udsboot.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app on Java 25 (Temurin, which the test machine has under {@code /usr/lib/jvm}) with
 * {@code spring.threads.virtual.enabled=true}: one INFO line says the listeners keep platform
 * threads, and they serve.
 */
class VirtualThreadsProcessTests {

	private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

	@TempDir
	Path dir;

	private Process app;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.app != null) {
			this.app.destroy();
			this.app.waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void withVirtualThreadsEnabledOneInfoLineSaysTheListenersKeepPlatformThreads() throws Exception {
		assertThat(JAVA_25).as("Temurin 25, which the test machine must have").isExecutable();
		Path log = this.dir.resolve("app.log");
		this.app = new ProcessBuilder(JAVA_25.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
				System.getProperty("java.class.path"), SampleApplication.class.getName(), "--uds.sample.dir=" + this.dir,
				"--spring.main.banner-mode=off", "--uds.management.path=", "--spring.threads.virtual.enabled=true")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Started SampleApplication"));
		ExternalProcess.Result echo = ExternalProcess.run(
				List.of("socat", "-t", "5", "-", "UNIX-CONNECT:" + this.dir.resolve("echo.sock")), "on java 25\n");
		assertThat(echo.stdout()).isEqualTo("on java 25\n");
		String output = Files.readString(log);
		assertThat(output).contains("using Java 25");
		assertThat(output.lines().filter((line) -> line.contains("spring.threads.virtual.enabled is true, but the uds "
				+ "listeners read their connections on platform threads")))
			.singleElement()
			.asString()
			.contains(" INFO ");
		assertThat(output).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
