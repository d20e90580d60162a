package dev.udsboot.invocation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.listener.api.UdsListenerErrorHandler;
import dev.udsboot.listener.exception.UdsErrorReplyException;
import dev.udsboot.test.LineClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler methods over real sockets: every payload type both ways, sessions, headers, replies in
 * order, and what a client sees when a handler fails.
 */
class HandlerInvocationTests {

	private static final String[] LISTENERS = { "bytes", "text", "buffer", "message", "json", "silent", "session",
			"failing", "customized", "latin" };

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(HandlerConfiguration.class);
		for (String name : LISTENERS) {
			runner = runner.withPropertyValues("uds.listeners." + name + ".path=" + this.dir.resolve(name + ".sock"));
		}
		return runner.withPropertyValues("uds.listeners.latin.charset=ISO-8859-1");
	}

	@Test
	void byteArrayStringAndByteBufferPayloads() {
		runner().run((context) -> {
			try (LineClient client = client(context, "bytes")) {
				assertThat(client.request("abc")).isEqualTo("3:cba");
			}
			try (LineClient client = client(context, "text")) {
				assertThat(client.request("grüße")).isEqualTo("GRÜSSE");
			}
			try (LineClient client = client(context, "buffer")) {
				assertThat(client.request("xyz")).isEqualTo("buffer of 3");
			}
		});
	}

	@Test
	void messageParameterCarriesHeaders() {
		runner().run((context) -> {
			try (LineClient client = client(context, "message")) {
				assertThat(client.request("m")).startsWith("message m from listener message on connection ");
			}
		});
	}

	@Test
	void jsonPojosBothWays() {
		runner().run((context) -> {
			try (LineClient client = client(context, "json")) {
				assertThat(client.request("{\"name\":\"ada\",\"count\":2}"))
					.isEqualTo("{\"greeting\":\"hello ada\",\"total\":4}");
			}
		});
	}

	@Test
	void jsonRepliesStayOnOneLineWhenTheApplicationIndentsJson() {
		runner().withPropertyValues("spring.jackson.serialization.indent-output=true").run((context) -> {
			assertThat(context.getBean(tools.jackson.databind.json.JsonMapper.class)
				.writeValueAsString(java.util.Map.of("a", 1))).as("the application's mapper indents").contains("\n");
			try (LineClient client = client(context, "json")) {
				assertThat(client.request("{\"name\":\"bo\",\"count\":1}"))
					.isEqualTo("{\"greeting\":\"hello bo\",\"total\":2}");
				assertThat(client.request("{\"name\":\"cy\",\"count\":3}"))
					.isEqualTo("{\"greeting\":\"hello cy\",\"total\":6}");
			}
		});
	}

	@Test
	void voidAndNullSendNoReply() {
		runner().run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			try (LineClient client = client(context, "silent")) {
				client.writeLine("one");
				client.writeLine("null");
				client.socket().setSoTimeout(300);
				assertThat(readOrTimeout(client)).isEqualTo("timeout");
			}
			assertThat(handlers.silent).containsExactly("one", "null");
		});
	}

	@Test
	void sessionSendsExtraMessagesAndReplyKeepsOrder() {
		runner().run((context) -> {
			try (LineClient client = client(context, "session")) {
				client.writeLine("x");
				assertThat(client.readLine()).isEqualTo("pushed on session");
				assertThat(client.readLine()).isEqualTo("reply x");
			}
		});
	}

	@Test
	void repliesKeepRequestOrderWhenPipelined() {
		runner().run((context) -> {
			try (LineClient client = client(context, "text")) {
				StringBuilder batch = new StringBuilder();
				for (int i = 0; i < 500; i++) {
					batch.append("line").append(i).append('\n');
				}
				client.write(batch.toString().getBytes(StandardCharsets.UTF_8));
				for (int i = 0; i < 500; i++) {
					assertThat(client.readLine()).isEqualTo("LINE" + i);
				}
			}
		});
	}

	@Test
	void listenerCharsetAppliesToStrings() {
		runner().run((context) -> {
			try (LineClient client = client(context, "latin")) {
				client.write(new byte[] { (byte) 0xE9, '\n' });
				byte[] reply = client.input().readNBytes(2);
				assertThat(reply).containsExactly((byte) 0xC9, '\n');
			}
		});
	}

	@Test
	void failingHandlerClosesOnlyItsConnectionByDefault() {
		runner().run((context) -> {
			UdsListenerContainer container = container(context, "failing");
			try (LineClient bystander = client(context, "failing"); LineClient victim = client(context, "failing")) {
				assertThat(bystander.request("ok")).isEqualTo("fine ok");
				victim.writeLine("explode");
				assertThat(victim.readLine()).isNull();
				assertThat(bystander.request("still")).isEqualTo("fine still");
			}
			assertThat(container.getStatistics().handlerErrors()).isEqualTo(1);
			assertThat(container.isRunning()).isTrue();
		});
	}

	@Test
	void errorReplyExceptionAnswersAndKeepsTheConnection() {
		runner().run((context) -> {
			try (LineClient client = client(context, "failing")) {
				assertThat(client.request("refuse")).isEqualTo("ERROR refused");
				assertThat(client.request("after")).isEqualTo("fine after");
			}
		});
	}

	@Test
	void namedErrorHandlerDecidesTheReply() {
		runner().run((context) -> {
			try (LineClient client = client(context, "customized")) {
				assertThat(client.request("boom")).startsWith("handled: ").contains("customized", "IllegalStateException");
				assertThat(client.request("next")).isEqualTo("handled: next was fine");
			}
		});
	}

	@Test
	void unconvertibleJsonIsAnsweredWithAnErrorReplyAndTheConnectionStays() {
		runner().run((context) -> {
			try (LineClient client = client(context, "json")) {
				assertThat(client.request("not json")).startsWith(
						"{\"error\":\"invalid-payload\",\"message\":\"Cannot read the payload as Greeting: ");
				assertThat(client.request("{\"name\":\"ada\",\"count\":2}"))
					.isEqualTo("{\"greeting\":\"hello ada\",\"total\":4}");
			}
			assertThat(container(context, "json").getStatistics().invalidPayloads()).isEqualTo(1);
			assertThat(container(context, "json").getStatistics().handlerErrors()).isZero();
		});
	}

	private static String readOrTimeout(LineClient client) throws IOException {
		try {
			return client.readLine();
		}
		catch (java.net.SocketTimeoutException ex) {
			return "timeout";
		}
	}

	private static UdsListenerContainer container(ApplicationContext context, String name) {
		UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name);
		assertThat(container).isNotNull();
		return container;
	}

	private static LineClient client(ApplicationContext context, String name) throws IOException {
		return LineClient.connect(container(context, name).getDefinition().udsAddress());
	}

	record Greeting(String name, int count) {
	}

	record Answer(String greeting, int total) {
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlerConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

		@Bean
		UdsListenerErrorHandler describingErrorHandler() {
			return (message, exception) -> "handled: " + exception.getMessage().replace('\n', ' ');
		}

	}

	static class Handlers {

		final CopyOnWriteArrayList<String> silent = new CopyOnWriteArrayList<>();

		@UdsHandler("bytes")
		byte[] bytes(byte[] payload) {
			byte[] reversed = new byte[payload.length];
			for (int i = 0; i < payload.length; i++) {
				reversed[i] = payload[payload.length - 1 - i];
			}
			return (payload.length + ":" + new String(reversed, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
		}

		@UdsHandler({ "text", "latin" })
		String text(String line) {
			return line.toUpperCase(java.util.Locale.ROOT);
		}

		@UdsHandler("buffer")
		ByteBuffer buffer(ByteBuffer payload) {
			return ByteBuffer.wrap(("buffer of " + payload.remaining()).getBytes(StandardCharsets.UTF_8));
		}

		@UdsHandler("message")
		String message(Message<String> message, @Header(UdsHeaders.LISTENER) String listener) {
			return "message " + message.getPayload() + " from listener " + listener + " on connection "
					+ message.getHeaders().get(UdsHeaders.CONNECTION_ID);
		}

		@UdsHandler("json")
		Answer json(Greeting greeting) {
			return new Answer("hello " + greeting.name(), greeting.count() * 2);
		}

		@UdsHandler("silent")
		String silent(String line) {
			this.silent.add(line);
			return null;
		}

		@UdsHandler("session")
		String session(String line, UdsSession session) {
			session.send("pushed on session".getBytes(StandardCharsets.UTF_8));
			return "reply " + line + (session.listenerName().equals("session") ? "" : " wrong listener");
		}

		@UdsHandler("failing")
		String failing(String line) {
			if (line.equals("explode")) {
				throw new IllegalStateException("exploded");
			}
			if (line.equals("refuse")) {
				throw new UdsErrorReplyException("ERROR refused");
			}
			return "fine " + line;
		}

		@UdsHandler(value = "customized", errorHandler = "describingErrorHandler")
		String customized(String line) {
			if (line.equals("boom")) {
				throw new IllegalStateException("boom");
			}
			return "handled: " + line + " was fine";
		}

	}

}
