package dev.udsboot.listener;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown of a real application: accepting stops at once, in-flight handlers finish and are
 * answered within spring.lifecycle.timeout-per-shutdown-phase, then connections close and the
 * socket file goes.
 */
class GracefulShutdownTests {

	@TempDir
	Path dir;

	private SlowHandler handler;

	@AfterEach
	void release() {
		if (this.handler != null) {
			this.handler.release.countDown();
		}
	}

	private ConfigurableApplicationContext start(String timeout) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("uds.listeners.slow.path=" + this.dir.resolve("slow.sock"),
					"spring.lifecycle.timeout-per-shutdown-phase=" + timeout, "spring.main.banner-mode=off")
			.run();
		this.handler = context.getBean(SlowHandler.class);
		return context;
	}

	@Test
	void inFlightRequestIsAnsweredBeforeTheConnectionCloses() throws Exception {
		ConfigurableApplicationContext context = start("10s");
		Path socket = this.dir.resolve("slow.sock");
		UdsAddress address = UdsAddress.ofPath(socket);
		try (LineClient client = LineClient.connect(address); LineClient idle = LineClient.connect(address)) {
			client.writeLine("work");
			client.writeLine("queued");
			assertThat(this.handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatIOException()
				.isThrownBy(() -> LineClient.connect(address).close()));
			assertThat(idle.readLine()).as("an idle connection is closed at once").isNull();
			assertThat(closing).isNotDone();
			this.handler.release.countDown();
			assertThat(client.readLine()).isEqualTo("done work");
			assertThat(client.readLine()).as("data sent before shutdown is still answered").isEqualTo("done queued");
			assertThat(client.readLine()).isNull();
			closing.get(10, TimeUnit.SECONDS);
		}
		assertThat(socket).doesNotExist();
	}

	@Test
	void handlerOutlivingTheTimeoutIsCutOff() throws Exception {
		ConfigurableApplicationContext context = start("300ms");
		Path socket = this.dir.resolve("slow.sock");
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(socket))) {
			client.writeLine("forever");
			assertThat(this.handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
			long started = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(readOrEof(client)).isNull();
		}
		assertThat(socket).doesNotExist();
	}

	private static String readOrEof(LineClient client) throws IOException {
		try {
			return client.readLine();
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		SlowHandler slowHandler() {
			return new SlowHandler();
		}

	}

	static class SlowHandler {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@UdsHandler("slow")
		String handle(String line) throws InterruptedException {
			this.entered.countDown();
			this.release.await(20, TimeUnit.SECONDS);
			return "done " + line;
		}

	}

}
