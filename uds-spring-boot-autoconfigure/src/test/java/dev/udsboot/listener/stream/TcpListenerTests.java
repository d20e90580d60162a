package dev.udsboot.listener.stream;

import java.io.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsConnectionClosed;
import dev.udsboot.annotation.UdsConnectionOpened;
import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.client.UdsTemplates;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.health.UdsHealthContributor;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsReply;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.metrics.UdsListenerMetrics;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.test.RequiredTools;

import static dev.udsboot.test.ClientProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A TCP listener serving the same kind of handler as a Unix domain socket listener, reached by
 * clients this project did not write: {@code socat TCP:} and {@code python3}'s {@code socket}
 * module. The port is any free one (0), found through the container and in the health details.
 */
@ExtendWith(OutputCaptureExtension.class)
class TcpListenerTests {

	@TempDir
	Path dir;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void closeAll() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TcpApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "uds.listeners.echo-tcp.type=tcp",
					"uds.listeners.files-tcp.type=tcp")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static TcpAddress address(ConfigurableApplicationContext context) {
		UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer("echo-tcp");
		assertThat(container).isNotNull();
		return (TcpAddress) container.getAddress();
	}

	@Test
	void socatAndPythonAreAnsweredOnTheLoopbackPortTheListenerTook(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start();
		TcpAddress address = address(context);
		assertThat(address.host()).isEqualTo("127.0.0.1");
		assertThat(address.port()).isPositive();
		assertThat(output).contains("Started listener 'echo-tcp' (127.0.0.1:0) with line framing, listening on "
				+ address);
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-", "TCP:" + address), "over socat\n"))
			.isEqualTo("over socat\n");
		String python = """
				import socket, sys
				s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
				f = s.makefile('rwb')
				for line in (b'one\\n', b'two\\n', b'three\\n'):
				    f.write(line); f.flush()
				    print(f.readline().decode().strip())
				""";
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, Integer.toString(address.port())), ""))
			.isEqualTo("one\ntwo\nthree\n");
		assertThat(output).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

	@Test
	void healthProbesThroughThePortAndNamesItAndMetersAreTaggedTcp() throws Exception {
		ConfigurableApplicationContext context = start();
		TcpAddress address = address(context);
		HealthIndicator echo = (HealthIndicator) context.getBean(UdsHealthContributor.class).getContributor("echo-tcp");
		Health health = echo.health();
		assertThat(health.getStatus().getCode()).as(health.toString()).isEqualTo("UP");
		assertThat(health.getDetails()).containsEntry("address", address.toString()).containsEntry("type", "tcp");
		assertThat(health.getDetails().get("probe").toString()).contains("answered");
		MeterRegistry meters = new SimpleMeterRegistry();
		context.getBean(UdsListenerMetrics.class).bindTo(meters);
		run(List.of(RequiredTools.require("socat"), "-t", "5", "-", "TCP:" + address), "metered\n");
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			var opened = meters.find("uds.connections.opened")
				.tag("listener", "echo-tcp")
				.tag("type", "tcp")
				.functionCounter();
			return opened != null && opened.count() >= 1;
		});
	}

	@Test
	void connectionEventsRunAndCredentialsAreNullOnTcp() throws Exception {
		ConfigurableApplicationContext context = start();
		TcpAddress address = address(context);
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-", "TCP:" + address), "who\n"))
			.isEqualTo("who\n");
		Events events = context.getBean(Events.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> events.seen.size() == 3);
		assertThat(events.seen).containsExactly("opened", "credentials null", "closed");
	}

	@Test
	void aHostOtherThanTheLoopbackAddressLogsOneWarnLine(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start("uds.listeners.echo-tcp.host=0.0.0.0");
		TcpAddress address = address(context);
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-", "TCP:127.0.0.1:" + address.port()),
				"any\n")).isEqualTo("any\n");
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ")).toList()).singleElement()
			.asString()
			.contains("Listener 'echo-tcp' listens on 0.0.0.0:" + address.port() + ", which is not the loopback address: "
					+ "it can be reached from the network (uds.listeners.echo-tcp.host)");
	}

	@Test
	void udsTemplatesReachTheTcpListenerOnThePortItTook() {
		ConfigurableApplicationContext context = start();
		UdsTemplate template = context.getBean(UdsTemplates.class).forListener("echo-tcp");
		assertThat(template.getTarget()).isEqualTo(address(context));
		for (int i = 0; i < 20; i++) {
			assertThat(template.sendAndReceive("pooled over tcp " + i, String.class)).isEqualTo("pooled over tcp " + i);
		}
	}

	@Test
	void aUdsTemplateReachesASocatTcpEchoServer() throws Exception {
		int port;
		try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
			port = free.getLocalPort();
		}
		Process socat = new ProcessBuilder(RequiredTools.require("socat"), "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
				"EXEC:cat").start();
		try (UdsTemplate template = UdsTemplate.builder(new TcpAddress("127.0.0.1", port)).build()) {
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
				.until(() -> "socat over tcp".equals(template.sendAndReceive("socat over tcp", String.class)));
			for (int i = 0; i < 20; i++) {
				assertThat(template.sendAndReceive("socat " + i, String.class)).isEqualTo("socat " + i);
			}
			assertThatIllegalArgumentException()
				.isThrownBy(() -> template.exchange("with a descriptor", List.of(FileDescriptor.in), String.class))
				.withMessageContaining("TCP carries none");
			assertThat(template.sendAndReceive("still served", String.class)).isEqualTo("still served");
		}
		finally {
			socat.destroyForcibly();
		}
	}

	@Test
	void aPooledConnectionTheServerClosedWhileIdleIsReplacedNotFailed() throws Exception {
		ConfigurableApplicationContext context = start("uds.listeners.echo-tcp.idle-timeout=300ms");
		UdsListenerContainer echo = context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer("echo-tcp");
		assertThat(echo).isNotNull();
		// pooled, validated after 2 s of inactivity: longer than the server waits
		try (UdsTemplate template = UdsTemplate.builder(echo.getAddress()).build()) {
			for (int i = 0; i < 3; i++) {
				assertThat(template.sendAndReceive("before " + i, String.class)).isEqualTo("before " + i);
				long closed = echo.getStatistics().idleTimeouts();
				await().atMost(Duration.ofSeconds(5)).until(() -> echo.getStatistics().idleTimeouts() > closed);
				assertThat(template.sendAndReceive("after " + i, String.class)).isEqualTo("after " + i);
			}
		}
	}

	@Test
	void idleTimeoutClosesAnIdleTcpConnection() throws Exception {
		ConfigurableApplicationContext context = start("uds.listeners.echo-tcp.idle-timeout=300ms");
		TcpAddress address = address(context);
		String python = """
				import socket, sys, time
				s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
				start = time.time()
				print(s.recv(1) == b'' and time.time() - start < 5)
				""";
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, Integer.toString(address.port())), ""))
			.isEqualTo("True\n");
	}

	@Test
	void descriptorsAHandlerSendsOnTcpAreAHandlerFailureAndNothingIsWritten(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start();
		UdsListenerContainer files = context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer("files-tcp");
		assertThat(files).isNotNull();
		String socat = RequiredTools.require("socat");
		assertThat(run(List.of(socat, "-t", "5", "-", "TCP:" + files.getAddress()), "reply\n"))
			.as("closed with nothing written")
			.isEmpty();
		assertThat(files.getStatistics().handlerErrors()).isEqualTo(1);
		assertThat(output).contains("Cannot send file descriptors on listener 'files-tcp' (127.0.0.1:0): TCP carries "
				+ "no file descriptors");
		assertThat(run(List.of(socat, "-t", "5", "-", "TCP:" + files.getAddress()), "send\n"))
			.as("the sender is told, and nothing was written before")
			.isEqualTo("Cannot send file descriptors on a TCP connection: TCP carries none\n");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
			dev.udsboot.autoconfigure.health.UdsHealthContributorAutoConfiguration.class,
			dev.udsboot.autoconfigure.metrics.UdsMetricsAutoConfiguration.class,
			dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration.class })
	static class TcpApplication {

		@Bean
		Events events() {
			return new Events();
		}

		@Bean
		Files files() {
			return new Files();
		}

	}

	/** Returns a reply with a descriptor, or sends one: a handler declared to return Object may. */
	static class Files {

		@UdsHandler("files-tcp")
		Object files(String line, UdsSession session) {
			if (line.equals("send")) {
				try {
					session.send("with a descriptor".getBytes(StandardCharsets.UTF_8), List.of(FileDescriptor.in));
				}
				catch (IllegalArgumentException ex) {
					return ex.getMessage();
				}
			}
			return UdsReply.of("with a descriptor", FileDescriptor.in);
		}

	}

	/** The handlers of {@code echo-tcp}, recording its connection events. */
	static class Events {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@UdsHandler("echo-tcp")
		String echo(String line, @Nullable PeerCredentials peer) {
			this.seen.add("credentials " + peer);
			return line;
		}

		@UdsConnectionOpened("echo-tcp")
		void opened(UdsSession session) {
			this.seen.add("opened");
		}

		@UdsConnectionClosed("echo-tcp")
		void closed(UdsSession session) {
			this.seen.add("closed");
		}

	}

}
