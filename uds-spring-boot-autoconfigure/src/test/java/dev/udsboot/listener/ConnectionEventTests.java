package dev.udsboot.listener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsConnectionClosed;
import dev.udsboot.annotation.UdsConnectionOpened;
import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.UdsListenerContainerFactoryCustomizer;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.test.LineClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection-opened and connection-closed handlers: a greeting before the client writes, the
 * closed callback, a failing opened handler, and listeners served by event handlers alone.
 */
class ConnectionEventTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(EventsConfiguration.class)
			.withPropertyValues("uds.listeners.greeted.path=" + this.dir.resolve("greeted.sock"),
					"uds.listeners.refusing.path=" + this.dir.resolve("refusing.sock"),
					"uds.listeners.events-only.path=" + this.dir.resolve("events-only.sock"),
					"uds.listeners.farewell.path=" + this.dir.resolve("farewell.sock"),
					"uds.listeners.handing.path=" + this.dir.resolve("handing.sock"),
					"uds.listeners.failing-close.path=" + this.dir.resolve("failing-close.sock"));
	}

	@Test
	void anOpenedHandlersUdsReplyTakesTheOneReplyPathWithItsDescriptor() {
		// a greeting is a reply like any other: its descriptor travels with its first byte
		runner().run((context) -> {
			try (AFUNIXSocket socket = AFUNIXSocket.connectTo(
					container(context, "handing").getDefinition().udsAddress().toSocketAddress())) {
				socket.setAncillaryReceiveBufferSize(1024);
				socket.setSoTimeout(5000);
				byte[] greeting = socket.getInputStream().readNBytes("here\n".length());
				assertThat(new String(greeting, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("here\n");
				java.io.FileDescriptor[] received = socket.getReceivedFileDescriptors();
				assertThat(received).hasSize(1);
				try (java.io.FileInputStream file = new java.io.FileInputStream(received[0])) {
					assertThat(file.readAllBytes()).isEqualTo(java.nio.file.Files.readAllBytes(Path.of("/etc/hostname")));
				}
			}
			// counted once the send returned, which may be a moment after the client read the bytes
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(5))
				.until(() -> container(context, "handing").getStatistics().messagesSent() == 1);
		});
	}

	@Test
	void aFailingClosedHandlerIsCountedAndTheListenerServesOn() {
		runner().run((context) -> {
			for (int i = 0; i < 2; i++) {
				try (LineClient client = client(context, "failing-close")) {
					assertThat(client.request("still " + i)).isEqualTo("still " + i);
				}
			}
			Events events = context.getBean(Events.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> events.closeAttempts.size() == 2);
			assertThat(container(context, "failing-close").isRunning()).isTrue();
		});
	}

	@Test
	void openedHandlerGreetsBeforeTheClientWritesAndClosedHandlerRunsAfter() {
		runner().run((context) -> {
			Events events = context.getBean(Events.class);
			try (LineClient client = client(context, "greeted")) {
				assertThat(client.readLine()).startsWith("welcome uid ");
				assertThat(client.request("ping")).isEqualTo("pong ping");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> events.closed.contains("greeted"));
			assertThat(events.closed).containsExactly("greeted");
		});
	}

	@Test
	void closedHandlerGetsThePeersCredentialsAfterTheSocketHasClosed() {
		runner().run((context) -> {
			Events events = context.getBean(Events.class);
			try (LineClient client = client(context, "farewell")) {
				assertThat(client.request("bye")).isEqualTo("bye");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> !events.farewells.isEmpty());
			// the client is this JVM: the kernel's credentials are our pid and uid
			int uid = (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
			assertThat(events.farewells).containsExactly("pid " + ProcessHandle.current().pid() + " uid " + uid);
		});
	}

	@Test
	void failingOpenedHandlerClosesTheConnectionBeforeAnyMessage() {
		runner().run((context) -> {
			Events events = context.getBean(Events.class);
			try (LineClient client = client(context, "refusing")) {
				writeUnlessClosed(client, "never handled");
				assertThat(readOrReset(client)).as("closed (a reset if our line was still unread)").isNull();
			}
			assertThat(events.messages).isEmpty();
			assertThat(container(context, "refusing").getStatistics().handlerErrors()).isEqualTo(1);
		});
	}

	@Test
	void aFailingOpenedHandlerClosesTheConnectionEvenWhenTheFactorysErrorHandlerAnswersMessages() {
		// the factory-wide error handler answers failing messages; a failing opened handler still
		// closes the connection, as @UdsConnectionOpened promises, and sends no greeting
		runner().withBean(UdsListenerContainerFactoryCustomizer.class,
				() -> (factory) -> factory.setErrorHandler((message, exception) -> "handled"))
			.run((context) -> {
				Events events = context.getBean(Events.class);
				try (LineClient client = client(context, "refusing")) {
					writeUnlessClosed(client, "never handled");
					assertThat(readOrReset(client)).as("closed, no greeting").isNull();
				}
				assertThat(events.messages).isEmpty();
				assertThat(container(context, "refusing").getStatistics().handlerErrors()).isEqualTo(1);
			});
	}

	@Test
	void aListenerServedOnlyByEventHandlersStarts() {
		runner().run((context) -> {
			try (LineClient client = client(context, "events-only")) {
				assertThat(client.readLine()).isEqualTo("hello and goodbye");
				assertThat(client.readLine()).isNull();
			}
		});
	}

	@Test
	void eventHandlerNamingAnUnknownListenerFailsStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withBean(Stray.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasMessageContaining("@UdsConnectionOpened(\"nowhere\")")
					.hasMessageContaining("uds.listeners.nowhere");
			});
	}

	/** The listener may close the connection before the line is written: the write then fails. */
	private static void writeUnlessClosed(LineClient client, String line) {
		try {
			client.writeLine(line);
		}
		catch (java.io.IOException ex) {
			// closed already, which is what the test expects
		}
	}

	private static String readOrReset(LineClient client) {
		try {
			return client.readLine();
		}
		catch (java.io.IOException ex) {
			return null;
		}
	}

	private static UdsListenerContainer container(ApplicationContext context, String name) {
		return context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name);
	}

	private static LineClient client(ApplicationContext context, String name) throws java.io.IOException {
		return LineClient.connect(container(context, name).getDefinition().udsAddress());
	}

	@Configuration(proxyBeanMethods = false)
	static class EventsConfiguration {

		@Bean
		Events events() {
			return new Events();
		}

	}

	static class Events implements AutoCloseable {

		final List<String> closed = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		@UdsConnectionOpened("greeted")
		String greet(PeerCredentials peer) {
			return "welcome uid " + peer.uid();
		}

		@UdsHandler("greeted")
		String pong(String line) {
			return "pong " + line;
		}

		@UdsConnectionClosed("greeted")
		void closed(UdsSession session) {
			this.closed.add(session.listenerName() + (session.isOpen() ? " still open" : ""));
		}

		final List<String> farewells = new CopyOnWriteArrayList<>();

		@UdsHandler("farewell")
		String echo(String line) {
			return line;
		}

		@UdsConnectionClosed("farewell")
		void farewell(PeerCredentials peer) {
			this.farewells.add("pid " + peer.pid() + " uid " + peer.uid());
		}

		@UdsConnectionOpened("refusing")
		void refuse() {
			throw new IllegalStateException("not today");
		}

		@UdsHandler("refusing")
		String handle(String line) {
			this.messages.add(line);
			return line;
		}

		final java.io.FileInputStream hostname;

		Events() {
			try {
				this.hostname = new java.io.FileInputStream("/etc/hostname");
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		/** Closed with the context: a stream left to the garbage collector closes at a random time. */
		@Override
		public void close() throws java.io.IOException {
			this.hostname.close();
		}

		@UdsConnectionOpened("handing")
		UdsReply handOver() throws java.io.IOException {
			return UdsReply.of("here", this.hostname.getFD());
		}

		@UdsHandler("handing")
		String unused(String line) {
			return line;
		}

		final List<String> closeAttempts = new CopyOnWriteArrayList<>();

		@UdsHandler("failing-close")
		String echoBeforeFailing(String line) {
			return line;
		}

		@UdsConnectionClosed("failing-close")
		void failOnClose(UdsSession session) {
			this.closeAttempts.add(session.listenerName());
			throw new IllegalStateException("closed handler fails");
		}

		@UdsConnectionOpened("events-only")
		void helloAndGoodbye(UdsSession session) {
			session.send("hello and goodbye".getBytes());
			session.close();
		}

	}

	static class Stray {

		@UdsConnectionOpened("nowhere")
		void opened() {
		}

	}

}
