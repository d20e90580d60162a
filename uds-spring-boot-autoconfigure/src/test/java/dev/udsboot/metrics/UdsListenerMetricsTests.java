package dev.udsboot.metrics;

import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.metrics.UdsMetricsAutoConfiguration;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listeners' meters in a registry Spring Boot configures, read after real traffic from this
 * JVM and from python3: connections, messages, bytes, handler time, rejected frames, unauthorised
 * peers, descriptors and dropped datagram replies.
 */
class UdsListenerMetricsTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		int uid;
		try {
			uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, UdsMetricsAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues("uds.listeners.lines.path=" + this.dir.resolve("lines.sock"),
					"uds.listeners.lines.max-message-size=16B",
					"uds.listeners.guarded.path=" + this.dir.resolve("guarded.sock"),
					"uds.listeners.guarded.allowed-uids=" + (uid + 1),
					"uds.listeners.fds.path=" + this.dir.resolve("fds.sock"), "uds.listeners.events.type=datagram",
					"uds.listeners.events.path=" + this.dir.resolve("events.sock"));
	}

	@Test
	void metersCountRealTraffic() {
		runner().run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(count(meters, "uds.messages.received", "lines")).isZero();
			try (LineClient client = LineClient.connect(UdsAddress.ofPath(this.dir.resolve("lines.sock")))) {
				assertThat(client.request("one")).isEqualTo("one");
				assertThat(client.request("three")).isEqualTo("three");
				assertThat(meters.get("uds.connections.active").tag("listener", "lines").gauge().value()).isEqualTo(1);
				client.writeLine("x".repeat(40));
				assertThat(client.readLine()).as("answered for the oversized line")
					.startsWith("{\"error\":\"message-too-large\"");
				assertThat(client.readLine()).as("then closed").isNull();
			}
			try (LineClient refused = LineClient.connect(UdsAddress.ofPath(this.dir.resolve("guarded.sock")))) {
				assertThat(refused.readLine()).isNull();
			}
			assertThat(python("""
					import array, os, socket, sys
					d = sys.argv[1]
					s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
					s.connect(os.path.join(d, 'fds.sock'))
					r1, w1 = os.pipe(); r2, w2 = os.pipe()
					s.sendmsg([b'two\\n'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [r1, r2]))])
					print(s.makefile().readline().strip())
					e = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
					e.bind(os.path.join(d, 'client.sock'))
					e.settimeout(10)
					e.sendto(b'bound', os.path.join(d, 'events.sock'))
					print(e.recv(100).decode())
					socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'unbound', os.path.join(d, 'events.sock'))
					""")).isEqualTo("2\nACK");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> count(meters, "uds.replies.dropped", "events", "reason", "unaddressed") == 1);
			assertThat(count(meters, "uds.connections.opened", "lines")).isEqualTo(1);
			assertThat(count(meters, "uds.messages.received", "lines")).isEqualTo(2);
			// two echoes and the error reply to the oversized line
			assertThat(count(meters, "uds.messages.sent", "lines")).isEqualTo(3);
			assertThat(count(meters, "uds.bytes.received", "lines")).isEqualTo(8);
			assertThat(count(meters, "uds.bytes.sent", "lines")).isEqualTo(8 + dev.udsboot.listener.api.UdsErrorReplies
				.of("message-too-large", "line frame larger than max-message-size 16 bytes").length);
			assertThat(count(meters, "uds.frames.rejected", "lines", "reason", "oversized")).isEqualTo(1);
			assertThat(count(meters, "uds.frames.rejected", "lines", "reason", "malformed")).isZero();
			assertThat(meters.get("uds.handler.duration").tag("listener", "lines").functionTimer().count())
				.isEqualTo(2);
			assertThat(meters.get("uds.handler.duration").tag("listener", "lines").functionTimer()
				.totalTime(TimeUnit.NANOSECONDS)).isPositive();
			assertThat(count(meters, "uds.peers.unauthorized", "guarded")).isEqualTo(1);
			assertThat(count(meters, "uds.descriptors.received", "fds")).isEqualTo(2);
			assertThat(count(meters, "uds.messages.received", "events")).isEqualTo(2);
			assertThat(count(meters, "uds.messages.sent", "events")).isEqualTo(1);
			assertThat(meters.get("uds.messages.received").tag("type", "datagram").functionCounter().count())
				.as("tagged by type").isEqualTo(2);
			assertThat(meters.get("uds.messages.received").tag("listener", "lines").tag("type", "stream")
				.functionCounter().count()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> meters.get("uds.connections.active").tag("listener", "lines").gauge().value() == 0);
		});
	}

	@Test
	void noMetersWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UdsListenerMetrics.class));
	}

	private static double count(MeterRegistry meters, String name, String listener, String... tags) {
		return meters.get(name).tag("listener", listener).tags(tags).functionCounter().count();
	}

	private String python(String script) throws Exception {
		Process process = new ProcessBuilder(RequiredTools.require("python3"), "-c", script, this.dir.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@UdsHandler({ "lines", "guarded" })
		String lines(String line) {
			return line;
		}

		@UdsHandler("fds")
		String fds(String line, FileDescriptor[] descriptors) {
			return String.valueOf(descriptors.length);
		}

		@UdsHandler("events")
		String events(String payload) {
			return "ACK";
		}

	}

}
