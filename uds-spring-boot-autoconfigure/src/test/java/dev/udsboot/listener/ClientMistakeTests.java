package dev.udsboot.listener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's mistakes are not server errors: a payload the handler cannot take is answered with an
 * error reply on a connection that stays open, logged as one rate-limited WARN line without a
 * stack trace, and counted; a handler's own exception stays an ERROR with its stack trace, but
 * rate-limited too. Clients: python3 and socat.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientMistakeTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues("uds.listeners.orders.path=" + this.dir.resolve("orders.sock"),
					"uds.listeners.failing.path=" + this.dir.resolve("failing.sock"),
					"uds.listeners.events.path=" + this.dir.resolve("events.sock"),
					"uds.listeners.events.type=datagram",
					"uds.listeners.envelopes.path=" + this.dir.resolve("envelopes.sock"),
					"uds.listeners.nested.path=" + this.dir.resolve("nested.sock"),
					"uds.listeners.unconstructible.path=" + this.dir.resolve("unconstructible.sock"));
	}

	@Test
	void invalidJsonFromPython3IsAnsweredAndTheConnectionStaysOpen(CapturedOutput output) {
		runner().run((context) -> {
			String printed = exchangeLines("orders.sock", "garbage", "{\"item\":\"tea\",\"quantity\":2}");
			List<String> lines = printed.lines().toList();
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).matches(Pattern.quote("{\"error\":\"invalid-payload\",\"message\":\"Cannot read "
					+ "the payload as Order: Unrecognized token 'garbage'") + ".*\"}");
			assertThat(lines.get(1)).isEqualTo("{\"item\":\"tea\",\"quantity\":2,\"accepted\":true}");
			assertThat(statistics(context, "orders").invalidPayloads()).isEqualTo(1);
			assertThat(statistics(context, "orders").handlerErrors()).isZero();
		});
		assertThat(output).contains("WARN", "Connection ", "of listener 'orders'", "sent an invalid payload: Cannot read "
				+ "the payload as Order: Unrecognized token 'garbage'", "; answered with an error reply")
			.doesNotContain("ERROR")
			.doesNotContain("\tat ");
	}

	@Test
	void invalidJsonFromSocatIsAnswered() {
		runner().run((context) -> {
			Process socat = new ProcessBuilder(RequiredTools.require("socat"), "-t", "2", "-",
					"UNIX-CONNECT:" + this.dir.resolve("orders.sock"))
				.start();
			socat.getOutputStream().write("{\"item\":\"tea\",\"quantity\":\"many\"}\n".getBytes(StandardCharsets.UTF_8));
			socat.getOutputStream().close();
			assertThat(socat.waitFor(10, TimeUnit.SECONDS)).isTrue();
			String reply = new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(reply).startsWith("{\"error\":\"invalid-payload\",\"message\":\"Cannot read the payload as Order: ")
				.contains("many")
				.endsWith("}\n")
				.hasLineCount(1);
		});
	}

	@Test
	void aFloodOfInvalidPayloadsIsAnsweredInFullButLoggedOnce(CapturedOutput output) {
		runner().run((context) -> {
			String printed = python("""
					s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
					s.connect(sys.argv[1] + '/orders.sock')
					s.sendall(b'nope\\n' * 500)
					f = s.makefile('rb')
					print(sum(1 for _ in range(500) if b'invalid-payload' in f.readline()))
					""");
			assertThat(printed.strip()).isEqualTo("500");
			assertThat(statistics(context, "orders").invalidPayloads()).isEqualTo(500);
		});
		assertThat(count(output, "sent an invalid payload")).isEqualTo(1);
	}

	@Test
	void aHandlerFailingOnEveryConnectionIsOneErrorWithItsStackPerInterval(CapturedOutput output) {
		runner().run((context) -> {
			String printed = python("""
					closed = 0
					for i in range(50):
					    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
					    s.connect(sys.argv[1] + '/failing.sock')
					    s.sendall(b'boom\\n')
					    if s.recv(100) == b'':
					        closed += 1
					    s.close()
					print(closed)
					""");
			assertThat(printed.strip()).isEqualTo("50");
			assertThat(statistics(context, "failing").handlerErrors()).isEqualTo(50);
		});
		assertThat(count(output, "after a handler failure")).isEqualTo(1);
		assertThat(output).contains("ERROR", "java.lang.IllegalStateException: the handler's own bug", "\tat ");
	}

	@Test
	void invalidJsonInADatagramIsAnsweredAtTheSendersAddress(CapturedOutput output) {
		runner().run((context) -> {
			String printed = python("""
					import os
					me = sys.argv[1] + '/client.sock'
					s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
					s.bind(me)
					s.settimeout(5)
					s.sendto(b'[1,2', sys.argv[1] + '/events.sock')
					print(s.recv(1000).decode())
					s.sendto(b'{"item":"tea","quantity":1}', sys.argv[1] + '/events.sock')
					print(s.recv(1000).decode())
					os.unlink(me)
					""");
			List<String> lines = printed.lines().toList();
			assertThat(lines.get(0)).startsWith("{\"error\":\"invalid-payload\",\"message\":\"Cannot read the payload as "
					+ "Order: ");
			assertThat(lines.get(1)).isEqualTo("{\"item\":\"tea\",\"quantity\":1,\"accepted\":true}");
			assertThat(statistics(context, "events").invalidPayloads()).isEqualTo(1);
		});
		assertThat(output).contains("datagram(s) with an invalid payload on listener 'events'").doesNotContain("ERROR");
	}

	@Test
	void aMessageParameterWhosePayloadCannotBeReadIsTheClientsMistakeToo(CapturedOutput output) {
		runner().run((context) -> {
			String printed = exchangeLines("envelopes.sock", "garbage");
			assertThat(printed.strip()).startsWith("{\"error\":\"invalid-payload\",\"message\":\"Cannot read the payload as "
					+ "Order: ");
			assertThat(statistics(context, "envelopes").invalidPayloads()).isEqualTo(1);
			assertThat(statistics(context, "envelopes").handlerErrors()).isZero();
		});
		assertThat(output).doesNotContain("ERROR");
	}

	@Test
	void theErrorReplyNamesTypesWithoutTheirPackages() {
		runner().run((context) -> {
			String printed = exchangeLines("nested.sock", "{\"item\":5}");
			assertThat(printed).startsWith("{\"error\":\"invalid-payload\"").contains("`Item`")
				.doesNotContain("dev.udsboot")
				.doesNotContain("ClientMistakeTests");
		});
	}

	@Test
	void aTypeTheApplicationCannotConstructIsItsOwnFailureNotTheClients(CapturedOutput output) {
		runner().run((context) -> {
			String printed = python("""
					s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
					s.connect(sys.argv[1] + '/unconstructible.sock')
					s.sendall(b'{"a":"x"}\\n')
					print(repr(s.recv(100)))
					""");
			assertThat(printed.strip()).isEqualTo("b''");
			assertThat(statistics(context, "unconstructible").handlerErrors()).isEqualTo(1);
			assertThat(statistics(context, "unconstructible").invalidPayloads()).isZero();
		});
		assertThat(output).contains("ERROR", "after a handler failure", "\tat ");
	}

	/** Sends each line on one connection from python3 and prints each reply line. */
	private String exchangeLines(String socket, String... lines) throws IOException, InterruptedException {
		return python("""
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.connect(sys.argv[1] + '/%s')
				f = s.makefile('rwb')
				for line in sys.argv[2:]:
				    f.write(line.encode() + b'\\n'); f.flush()
				    print(f.readline().decode().strip())
				""".formatted(socket), lines);
	}

	private String python(String script, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("python3"), "-c",
				"import socket, sys\n" + script.stripIndent(), this.dir.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(printed).isZero();
		return printed;
	}

	private static UdsListenerStatistics statistics(ApplicationContext context, String name) {
		UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name);
		assertThat(container).isNotNull();
		return container.getStatistics();
	}

	private static int count(CapturedOutput output, String text) {
		List<String> lines = new ArrayList<>(output.getAll().lines().filter((line) -> line.contains(text)).toList());
		return lines.size();
	}

	record Order(String item, int quantity) {
	}

	record Accepted(String item, int quantity, boolean accepted) {
	}

	record Item(String name) {
	}

	record Box(Item item) {
	}

	/** Jackson cannot construct it whatever the client sends: the application's mistake. */
	static class Unconstructible {

		Unconstructible(String a, String b) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		OrderHandlers orderHandlers() {
			return new OrderHandlers();
		}

	}

	static class OrderHandlers {

		@UdsHandler({ "orders", "events" })
		Accepted order(Order order) {
			return new Accepted(order.item(), order.quantity(), true);
		}

		@UdsHandler("envelopes")
		Accepted envelope(org.springframework.messaging.Message<Order> message) {
			return new Accepted(message.getPayload().item(), message.getPayload().quantity(), true);
		}

		@UdsHandler("nested")
		String nested(Box box) {
			return box.item().name();
		}

		@UdsHandler("unconstructible")
		String unconstructible(Unconstructible value) {
			return "never";
		}

		@UdsHandler("failing")
		String fail(String line) {
			throw new IllegalStateException("the handler's own bug");
		}

	}

}
