package dev.udsboot.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsConnectionOpened;
import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.health.UdsHealthContributorAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code uds} health contributor against real listeners: UP after a probe through each
 * socket (which no handler, event handler or counter sees), DOWN with the reason when the socket
 * file is deleted or replaced, the listener stopped, or a probe not answered; its conditions.
 */
class UdsHealthTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					UdsHealthContributorAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues("uds.listeners.lines.path=" + this.dir.resolve("lines.sock"),
					"uds.listeners.events.type=datagram", "uds.listeners.events.path=" + this.dir.resolve("events.sock"),
					"uds.listeners.hidden.abstract-name=uds-health-" + this.dir.getFileName(),
					"uds.listeners.busy.type=datagram", "uds.listeners.busy.path=" + this.dir.resolve("busy.sock"),
					"uds.listeners.fds.path=" + this.dir.resolve("fds.sock"),
					"uds.listeners.single.path=" + this.dir.resolve("single.sock"), "uds.listeners.single.max-connections=1",
					"management.health.uds.probe-timeout=500ms");
	}

	@Test
	void everyListenerIsUpAfterAProbeNoHandlerOrCounterSees() {
		runner().run((context) -> {
			Map<String, Health> health = healthOf(context);
			assertThat(health).containsOnlyKeys("lines", "events", "hidden", "busy", "fds", "single");
			health.forEach((name, listener) -> {
				assertThat(listener.getStatus()).as(name).isEqualTo(Status.UP);
				assertThat(listener.getDetails()).as(name)
					.containsEntry("listener", name)
					.containsKeys("address", "type", "counters")
					.hasEntrySatisfying("probe", (probe) -> assertThat((String) probe).startsWith("answered in "));
			});
			assertThat(health.get("lines").getDetails()).containsEntry("type", "stream")
				.containsEntry("address", this.dir.resolve("lines.sock").toString())
				.containsEntry("connections", 0);
			assertThat(health.get("events").getDetails()).containsEntry("type", "datagram")
				.doesNotContainKey("connections");
			Handlers handlers = context.getBean(Handlers.class);
			assertThat(handlers.seen).as("handlers and event handlers").isEmpty();
			for (String name : List.of("lines", "events", "hidden")) {
				UdsListenerStatistics statistics = registry(context).getListenerContainer(name).getStatistics();
				assertThat(statistics.toMap().values()).as(name).containsOnly(0L);
			}
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void detailsCountRealTraffic() {
		runner().run((context) -> {
			try (LineClient client = LineClient.connect(dev.udsboot.socket.UdsAddress.ofPath(this.dir.resolve("lines.sock")))) {
				assertThat(client.request("one")).isEqualTo("one");
				UdsListenerStatistics statistics = registry(context).getListenerContainer("lines").getStatistics();
				await().atMost(Duration.ofSeconds(5)).until(() -> statistics.messagesSent() == 1);
				Health lines = healthOf(context).get("lines");
				assertThat(lines.getStatus()).isEqualTo(Status.UP);
				assertThat(lines.getDetails()).containsEntry("connections", 1);
				assertThat((Map<String, Long>) lines.getDetails().get("counters")).containsEntry("messagesReceived", 1L)
					.containsEntry("messagesSent", 1L)
					.containsEntry("connectionsOpened", 1L);
			}
		});
	}

	@Test
	void aDeletedSocketFileIsDown() throws Exception {
		runner().run((context) -> {
			Files.delete(this.dir.resolve("lines.sock"));
			Files.delete(this.dir.resolve("events.sock"));
			Map<String, Health> health = healthOf(context);
			assertThat(health.get("lines").getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.get("lines").getDetails()).containsEntry("reason",
					"the socket file " + this.dir.resolve("lines.sock") + " was deleted");
			assertThat(health.get("events").getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.get("events").getDetails()).containsEntry("reason",
					"the socket file " + this.dir.resolve("events.sock") + " was deleted");
			assertThat(health.get("hidden").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void aReplacedSocketFileIsDown() throws Exception {
		runner().run((context) -> {
			Path events = this.dir.resolve("events.sock");
			Files.delete(events);
			Files.writeString(events, "someone else's");
			Health health = healthOf(context).get("events");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason",
					"the socket file " + events + " was replaced by another file");
		});
	}

	@Test
	void aStoppedListenerIsDown() {
		runner().run((context) -> {
			registry(context).getListenerContainer("hidden").stop();
			Health health = healthOf(context).get("hidden");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "the listener is stopped");
		});
	}

	@Test
	void aListenerThatDoesNotAnswerItsProbeInTimeIsDown() throws Exception {
		runner().run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			try {
				Process sender = new ProcessBuilder(RequiredTools.require("python3"), "-c",
						"import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'hold', sys.argv[1])",
						this.dir.resolve("busy.sock").toString())
					.inheritIO()
					.start();
				assertThat(sender.waitFor()).isZero();
				await().atMost(Duration.ofSeconds(5)).until(() -> handlers.busy.getCount() == 0);
				Health health = healthOf(context).get("busy");
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("reason",
						"a probe through the socket failed: no answer within 500 ms");
			}
			finally {
				handlers.release.countDown();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> healthOf(context).get("busy").getStatus() == Status.UP);
			// the probe that gave up was still queued: dropped unseen when the listener got to it
			assertThat(handlers.busyPayloads).containsExactly("hold");
			assertThat(registry(context).getListenerContainer("busy").getStatistics().messagesReceived()).isEqualTo(1);
		});
	}

	@Test
	void aListenerAtMaxConnectionsDoesNotPassItsProbe() throws Exception {
		runner().run((context) -> {
			try (LineClient client = LineClient.connect(dev.udsboot.socket.UdsAddress.ofPath(this.dir.resolve("single.sock")))) {
				assertThat(client.request("taken")).isEqualTo("taken");
				Health health = healthOf(context).get("single");
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) health.getDetails().get("reason"))
					.contains("closed the connection unserved (at max-connections?)");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> healthOf(context).get("single").getStatus() == Status.UP);
		});
	}

	@Test
	void clientsInThisProcessAreServedAsUsualWhileAProbeIsOutstanding() throws Exception {
		runner().run((context) -> {
			UdsListenerEndpointRegistry registry = registry(context);
			// a probe that gave up at once: its token is looked for in this process's connections
			assertThat(ListenerProber.forContainer(registry.getListenerContainer("fds"))
				.probeStream(dev.udsboot.socket.UdsAddress.ofPath(this.dir.resolve("fds.sock")), Duration.ofNanos(1), null)
				.answered()).isFalse();
			try (java.io.FileInputStream first = new java.io.FileInputStream("/etc/hostname");
					java.io.FileInputStream second = new java.io.FileInputStream("/etc/hostname");
					org.newsclub.net.unix.AFUNIXSocket socket = org.newsclub.net.unix.AFUNIXSocket
						.connectTo(org.newsclub.net.unix.AFUNIXSocketAddress.of(this.dir.resolve("fds.sock")))) {
				socket.setSoTimeout(5000);
				java.io.OutputStream out = socket.getOutputStream();
				socket.setOutboundFileDescriptors(first.getFD());
				out.write("a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
				java.io.BufferedReader in = new java.io.BufferedReader(
						new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
				assertThat(in.readLine()).isEqualTo("a 1");
				socket.setOutboundFileDescriptors(second.getFD());
				out.write("b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
				assertThat(in.readLine()).isEqualTo("b 1");
				out.write("c\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
				assertThat(in.readLine()).isEqualTo("c 0");
			}
			UdsListenerStatistics statistics = registry.getListenerContainer("fds").getStatistics();
			assertThat(statistics.connectionsOpened()).isEqualTo(1);
			assertThat(statistics.messagesReceived()).isEqualTo(3);
			assertThat(statistics.descriptorsReceived()).isEqualTo(2);
		});
	}

	@Test
	void aDatagramProbeIsAnsweredThoughLargerThanMaxMessageSize() {
		runner().withPropertyValues("uds.listeners.events.max-message-size=8B").run((context) -> {
			Health events = healthOf(context).get("events");
			assertThat(events.getStatus()).isEqualTo(Status.UP);
			assertThat(context.getBean(Handlers.class).seen).isEmpty();
			assertThat(registry(context).getListenerContainer("events").getStatistics().toMap().values())
				.containsOnly(0L);
		});
	}

	@Test
	void eachContainerHasOneProberWhateverTheNumberOfChecks() {
		runner().run((context) -> {
			healthOf(context);
			healthOf(context);
			for (String name : List.of("lines", "events", "hidden")) {
				dev.udsboot.listener.UdsListenerContainer container = registry(context).getListenerContainer(name);
				assertThat(ListenerProber.forContainer(container)).as(name)
					.isSameAs(ListenerProber.forContainer(container))
					.isNotSameAs(ListenerProber.forContainer(registry(context).getListenerContainer("fds")));
			}
		});
	}

	@Test
	void probesLeaveNoDescriptorBehind() {
		runner().run((context) -> {
			healthOf(context);
			int baseline = ProcessResources.openDescriptors();
			for (int i = 0; i < 50; i++) {
				assertThat(healthOf(context).values()).extracting(Health::getStatus).containsOnly(Status.UP);
			}
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		});
	}

	@Test
	void noContributorWhenDisabledOrWithoutSpringBootHealth() {
		runner().withPropertyValues("management.health.uds.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UdsHealthContributor.class));
		runner().withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UdsHealthContributor.class));
		runner().withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UdsHealthContributor.class));
		runner().run((context) -> assertThat(context).hasSingleBean(UdsHealthContributor.class)
			.hasBean("udsHealthContributor"));
	}

	private static Map<String, Health> healthOf(ApplicationContext context) {
		Map<String, Health> health = new java.util.LinkedHashMap<>();
		context.getBean(UdsHealthContributor.class)
			.stream()
			.forEach((entry) -> health.put(entry.name(), ((HealthIndicator) entry.contributor()).health()));
		return health;
	}

	private static UdsListenerEndpointRegistry registry(ApplicationContext context) {
		return context.getBean(UdsListenerEndpointRegistry.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final CountDownLatch busy = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@UdsHandler("lines")
		String lines(String line) {
			return line;
		}

		@UdsConnectionOpened("lines")
		void opened() {
			this.seen.add("opened");
		}

		@UdsHandler({ "events", "hidden" })
		String events(String payload) {
			this.seen.add(payload);
			return "ACK";
		}

		final List<String> busyPayloads = new CopyOnWriteArrayList<>();

		@UdsHandler("fds")
		String fds(String line, java.io.FileDescriptor[] descriptors) {
			return line + " " + descriptors.length;
		}

		@UdsHandler("single")
		String single(String line) {
			return line;
		}

		@UdsHandler("busy")
		void busy(String payload) throws InterruptedException {
			this.busyPayloads.add(payload);
			this.busy.countDown();
			this.release.await();
		}

	}

}
