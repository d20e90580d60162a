package dev.udsboot.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.PythonClients;
import dev.udsboot.test.RequiredTools;

import static dev.udsboot.test.ClientProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners served by Spring Integration flows instead of {@code @UdsHandler} methods, reached by
 * {@code python3} and {@code socat}: a DSL gateway whose reply is the socket's, the caller's
 * credentials as plain headers, a one-way adapter, a flow that throws, one that never replies,
 * a gateway declared as a bean, and outbound endpoints sending a flow's messages to {@code socat}
 * servers.
 */
class UdsIntegrationTests {

	@TempDir
	Path dir;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private void start() {
		this.context = new SpringApplicationBuilder(Flows.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "uds.listeners.upper.path=" + this.dir.resolve("upper.sock"),
					"uds.listeners.events.type=datagram", "uds.listeners.events.path=" + this.dir.resolve("events.sock"),
					"uds.listeners.failing.path=" + this.dir.resolve("failing.sock"),
					"uds.listeners.silent.path=" + this.dir.resolve("silent.sock"),
					"uds.listeners.bean.path=" + this.dir.resolve("bean.sock"))
			.run();
	}

	@Test
	void aGatewaysFlowAnswersWithTheCallersCredentialsInPlainHeaders() throws Exception {
		start();
		String python = """
				import os, socket, sys
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.settimeout(10)
				s.connect(sys.argv[1])
				f = s.makefile('rwb')
				f.write(b'hello flow\\n'); f.flush()
				print(f.readline().decode().strip(), os.getpid(), os.geteuid(), os.getegid())
				""";
		String[] out = run(List.of(RequiredTools.require("python3"), "-c", python,
				this.dir.resolve("upper.sock").toString()), "").strip().split(" ");
		assertThat(out[0] + " " + out[1]).isEqualTo("HELLO FLOW");
		Message<?> seen = this.context.getBean("seen", QueueChannel.class).receive(5000);
		assertThat(seen).isNotNull();
		Map<String, Object> headers = seen.getHeaders();
		assertThat(headers).containsEntry(UdsIntegrationHeaders.LISTENER, "upper")
			.containsEntry(UdsIntegrationHeaders.PEER_PID, Long.parseLong(out[2]))
			.containsEntry(UdsIntegrationHeaders.PEER_UID, Long.parseLong(out[3]))
			.containsEntry(UdsIntegrationHeaders.PEER_GID, Long.parseLong(out[4]))
			.containsKey(UdsIntegrationHeaders.PEER_GIDS)
			.doesNotContainKey("uds_peer")
			.doesNotContainKey("uds_charset");
	}

	@Test
	void anAdaptersFlowGetsEachDatagramAndTheSenderNoReply() throws Exception {
		start();
		Path client = this.dir.resolve("client.sock");
		String python = """
				import socket, sys
				s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
				s.bind(sys.argv[2])
				s.settimeout(1)
				s.sendto(b'an event', sys.argv[1])
				try:
				    print(s.recv(100))
				except socket.timeout:
				    print('no reply')
				""";
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, this.dir.resolve("events.sock").toString(),
				client.toString()), "")).isEqualTo("no reply\n");
		Message<?> event = this.context.getBean("events", QueueChannel.class).receive(5000);
		assertThat(event).isNotNull();
		assertThat(new String((byte[]) event.getPayload(), StandardCharsets.UTF_8)).isEqualTo("an event");
		assertThat(event.getHeaders()).containsEntry(UdsIntegrationHeaders.LISTENER, "events");
	}

	@Test
	void aFlowThatThrowsIsAHandlerFailureAndOneThatNeverRepliesSendsNothing() throws Exception {
		start();
		assertThat(PythonClients.stream(this.dir.resolve("failing.sock"), "boom")).as("closed, no reply").isEmpty();
		assertThat(container("failing").getStatistics().handlerErrors()).isEqualTo(1);
		String python = """
				import socket, sys
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.settimeout(2)
				s.connect(sys.argv[1])
				s.sendall(b'anyone?\\n')
				try:
				    print(s.recv(100))
				except socket.timeout:
				    print('no reply')
				""";
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, this.dir.resolve("silent.sock").toString()),
				"")).isEqualTo("no reply\n");
	}

	@Test
	void aGatewayDeclaredAsABeanServesItsListener() throws Exception {
		start();
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-",
				"UNIX-CONNECT:" + this.dir.resolve("bean.sock")), "as a bean\n"))
			.isEqualTo("bean: as a bean\n");
	}

	@Test
	void outboundGatewayAndAdapterSendAFlowsMessagesToSocatServers() throws Exception {
		start();
		Path echo = this.dir.resolve("socat-echo.sock");
		Path sink = this.dir.resolve("socat-sink.sock");
		Path received = this.dir.resolve("received.txt");
		String socat = RequiredTools.require("socat");
		Process echoServer = new ProcessBuilder(socat, "UNIX-LISTEN:" + echo + ",fork", "EXEC:cat").start();
		Process sinkServer = new ProcessBuilder(socat, "-u", "UNIX-LISTEN:" + sink + ",fork",
				"OPEN:" + received + ",creat,append").start();
		try (UdsTemplate toEcho = UdsTemplate.builder(UdsAddress.ofPath(echo)).build();
				UdsTemplate toSink = UdsTemplate.builder(UdsAddress.ofPath(sink)).build()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(echo) && Files.exists(sink));
			MessagingTemplate flows = new MessagingTemplate();
			this.context.getBean(IntegrationFlowContext.class)
				.registration(IntegrationFlow.from("toEcho").handle(Uds.outboundGateway(toEcho, String.class)).get())
				.register();
			this.context.getBean(IntegrationFlowContext.class)
				.registration(IntegrationFlow.from("toSink").handle(Uds.outboundAdapter(toSink)).get())
				.register();
			Message<?> reply = flows.sendAndReceive(this.context.getBean("toEcho", MessageChannel.class),
					MessageBuilder.withPayload("through socat").build());
			assertThat(reply).isNotNull();
			assertThat(reply.getPayload()).isEqualTo("through socat");
			flows.send(this.context.getBean("toSink", MessageChannel.class),
					MessageBuilder.withPayload("one way").build());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(received).hasContent("one way"));
		}
		finally {
			echoServer.destroy();
			sinkServer.destroy();
		}
	}

	private UdsListenerContainer container(String name) {
		UdsListenerContainer container = this.context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer(name);
		assertThat(container).isNotNull();
		return container;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class })
	static class Flows {

		@Bean
		QueueChannel seen() {
			return new QueueChannel();
		}

		@Bean
		QueueChannel events() {
			return new QueueChannel();
		}

		@Bean
		IntegrationFlow upperFlow(QueueChannel seen) {
			return IntegrationFlow.from(Uds.inboundGateway("upper"))
				.wireTap(seen)
				.<byte[], String>transform((bytes) -> new String(bytes, StandardCharsets.UTF_8).toUpperCase())
				.get();
		}

		@Bean
		IntegrationFlow eventsFlow(QueueChannel events) {
			return IntegrationFlow.from(Uds.inboundAdapter("events")).channel(events).get();
		}

		@Bean
		IntegrationFlow failingFlow() {
			return IntegrationFlow.from(Uds.inboundGateway("failing")).handle((payload, headers) -> {
				throw new IllegalStateException("the flow failed");
			}).get();
		}

		@Bean
		IntegrationFlow silentFlow() {
			return IntegrationFlow.from(Uds.inboundGateway("silent").replyTimeout(200L))
				.handle((payload, headers) -> null)
				.get();
		}

		@Bean
		UdsInboundGateway beanGateway() {
			UdsInboundGateway gateway = new UdsInboundGateway("bean");
			gateway.setRequestChannelName("beanRequests");
			return gateway;
		}

		@Bean
		IntegrationFlow beanFlow() {
			return IntegrationFlow.from("beanRequests")
				.<byte[], String>transform((bytes) -> "bean: " + new String(bytes, StandardCharsets.UTF_8))
				.get();
		}

	}

}
