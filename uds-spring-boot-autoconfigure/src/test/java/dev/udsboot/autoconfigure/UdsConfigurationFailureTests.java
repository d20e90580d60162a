package dev.udsboot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.test.EchoHandlerConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each invalid configuration fails startup with a message naming the property and the value.
 */
class UdsConfigurationFailureTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(EchoHandlerConfiguration.class);

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "path=/tmp/echo.sock | uds.listeners.echo.path | no Unix domain socket",
			"abstract-name=echo | uds.listeners.echo.abstract-name | no Unix domain socket",
			"file-mode=rw-rw-rw- | uds.listeners.echo.file-mode | no socket file",
			"file-group=root | uds.listeners.echo.file-group | no socket file",
			"create-directories=true | uds.listeners.echo.create-directories | no socket file",
			"allowed-uids=0 | uds.listeners.echo.allowed-uids | TCP carries no credentials",
			"allowed-gids=0 | uds.listeners.echo.allowed-gids | TCP carries no credentials",
			"activation=required | uds.listeners.echo.activation | Unix domain socket listeners only",
			"port=65536 | uds.listeners.echo.port | between 0 (any free port) and 65535" })
	void unixDomainSocketPropertyOnATcpListener(String property, String named, String why) {
		fails(new String[] { "uds.listeners.echo.type=tcp", "uds.listeners.echo." + property }, named, why);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "host=127.0.0.1 | uds.listeners.echo.host", "port=8080 | uds.listeners.echo.port" })
	void tcpPropertyOnAUnixDomainSocketListener(String property, String named) {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"), "uds.listeners.echo." + property },
				named, "is for TCP listeners (type: tcp)");
	}

	@Test
	void tlsOnAUnixDomainSocketListener() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.ssl.bundle=server" }, "uds.listeners.echo.ssl.bundle", "TLS is for TCP listeners");
	}

	@Test
	void clientCertificatesWithoutTls() {
		fails(new String[] { "uds.listeners.echo.type=tcp", "uds.listeners.echo.ssl.client-auth=need" },
				"uds.listeners.echo.ssl.client-auth", "Client certificates need TLS");
	}

	@Test
	void tlsBundleThatDoesNotExist() {
		fails(new String[] { "uds.listeners.echo.type=tcp", "uds.listeners.echo.ssl.bundle=missing" },
				"uds.listeners.echo.ssl.bundle", "missing", "spring.ssl.bundle.pem.missing");
	}

	@Test
	void bothPathAndAbstractName() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.abstract-name=echo-abstract" }, "uds.listeners.echo.path", "echo-abstract",
				"not both");
	}

	@Test
	void neitherPathNorAbstractName() {
		fails(new String[] { "uds.listeners.echo.framing=line" }, "uds.listeners.echo.path",
				"Set either path or abstract-name");
	}

	@Test
	void pathLongerThanTheKernelLimit() {
		String path = "/tmp/" + "x".repeat(103);
		fails(new String[] { "uds.listeners.echo.path=" + path }, "uds.listeners.echo.path", path, "107");
	}

	@Test
	void abstractNameLongerThanTheKernelLimit() {
		String name = "n".repeat(107);
		fails(new String[] { "uds.listeners.echo.abstract-name=" + name }, "uds.listeners.echo.abstract-name", name,
				"107");
	}

	@Test
	void unknownFraming() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.framing=json-lines" }, "uds.listeners.echo.framing", "json-lines");
	}

	@Test
	void badFileMode() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.file-mode=rw-rw-rwz" }, "uds.listeners.echo.file-mode", "rw-rw-rwz");
	}

	@Test
	void badDirectoryMode() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.directory-mode=0999" }, "uds.listeners.echo.directory-mode", "0999");
	}

	@Test
	void framingOnDatagramListener() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.type=datagram", "uds.listeners.echo.framing=line" },
				"uds.listeners.echo.framing", "LINE", "stream listeners only");
	}

	@Test
	void unknownFileGroup() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.file-group=no-such-group-here" }, "uds.listeners.echo.file-group",
				"no-such-group-here", "No such group");
	}

	@Test
	void allowListsOnADatagramListener() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.type=datagram", "uds.listeners.echo.allowed-uids=0" },
				"uds.listeners.echo.allowed-uids", "0", "cannot receive their credentials", "file-mode");
	}

	@Test
	void concurrencyOnAStreamListener() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.concurrency=4" }, "uds.listeners.echo.concurrency", "4", "datagram listeners only");
	}

	@Test
	void concurrencyBelowOne() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.type=datagram", "uds.listeners.echo.concurrency=0" },
				"uds.listeners.echo.concurrency", "0", "between 1 and 256");
	}

	@Test
	void datagramBuffersBeyondWhatIsReasonable() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.type=datagram", "uds.listeners.echo.concurrency=64",
				"uds.listeners.echo.max-message-size=16MB" }, "uds.listeners.echo.concurrency", "64", "256MB");
	}

	@Test
	void datagramLargerThanAUnixDatagramCanBe() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.type=datagram", "uds.listeners.echo.max-message-size=17MB" },
				"uds.listeners.echo.max-message-size", "17825792B", "wmem_max");
	}

	@Test
	void datagramHandlerAskingForASession() {
		this.runner.withUserConfiguration(DatagramSessionHandler.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
					"uds.listeners.events.path=" + this.dir.resolve("e.sock"), "uds.listeners.events.type=datagram")
			.run((context) -> assertFailure(context, "listener 'events'", "declares a UdsSession", "UdsPeer"));
	}

	@Test
	void datagramHandlerRelyingOnCredentials() {
		this.runner.withUserConfiguration(DatagramCredentialsHandler.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
					"uds.listeners.events.path=" + this.dir.resolve("e.sock"), "uds.listeners.events.type=datagram")
			.run((context) -> assertFailure(context, "listener 'events'", "PeerCredentials", "@Nullable",
					"SO_PASSCRED"));
	}

	@Test
	void connectionEventsOnADatagramListener() {
		this.runner.withUserConfiguration(DatagramConnectionHandler.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
					"uds.listeners.events.path=" + this.dir.resolve("e.sock"), "uds.listeners.events.type=datagram")
			.run((context) -> assertFailure(context, "@UdsConnectionOpened", "listener 'events'",
					"datagrams have no connection"));
	}

	@Test
	void negativeIdsInAllowLists() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.allowed-uids=1000,-1" }, "uds.listeners.echo.allowed-uids", "-1", "negative");
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.allowed-gids=-5" }, "uds.listeners.echo.allowed-gids", "-5", "negative");
	}

	@Test
	void nonPositiveLimits() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.max-connections=0" }, "uds.listeners.echo.max-connections", "0");
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.max-message-size=0B" }, "uds.listeners.echo.max-message-size", "0B");
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.idle-timeout=-1s" }, "uds.listeners.echo.idle-timeout", "PT-1S");
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.echo.max-file-descriptors=254" }, "uds.listeners.echo.max-file-descriptors", "254");
	}

	@Test
	void handlerNamingAListenerThatIsNotConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(EchoHandlerConfiguration.class, OrphanHandler.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("a.sock"))
			.run((context) -> assertFailure(context, "@UdsHandler(\"missing\")", "uds.listeners.missing",
					"not configured"));
	}

	@Test
	void listenerThatNoHandlerServes() {
		fails(new String[] { "uds.listeners.echo.path=" + this.dir.resolve("a.sock"),
				"uds.listeners.unserved.path=" + this.dir.resolve("b.sock") }, "uds.listeners.unserved",
				"no @UdsHandler(\"unserved\")");
		assertThat(this.dir.resolve("a.sock")).doesNotExist();
	}

	@Test
	void twoHandlersForOneListener() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(EchoHandlerConfiguration.class, SecondEchoHandler.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("a.sock"))
			.run((context) -> assertFailure(context, "uds.listeners.echo", "two @UdsHandler methods", "echo",
					"again"));
	}

	@Test
	void nonSocketAtThePathNamesListenerAndPath() throws Exception {
		Path file = this.dir.resolve("a.sock");
		java.nio.file.Files.writeString(file, "precious");
		fails(new String[] { "uds.listeners.echo.path=" + file }, "Listener 'echo'", file.toString(),
				"a regular file");
		assertThat(file).hasContent("precious");
	}

	private void fails(String[] properties, String... expected) {
		this.runner.withPropertyValues(properties).run((context) -> assertFailure(context, expected));
	}

	private static void assertFailure(AssertableApplicationContext context, String... expected) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
			if (cause instanceof dev.udsboot.UdsStartupException startupFailure) {
				messages.append(startupFailure.getAction()).append('\n');
			}
		}
		assertThat(messages.toString()).contains(expected);
	}

	@Configuration(proxyBeanMethods = false)
	static class OrphanHandler {

		@Bean
		Orphan orphan() {
			return new Orphan();
		}

	}

	static class Orphan {

		@UdsHandler("missing")
		String handle(String line) {
			return line;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DatagramSessionHandler {

		@Bean
		Object sessionHandler() {
			return new Object() {

				@UdsHandler("events")
				String handle(String payload, dev.udsboot.listener.UdsSession session) {
					return payload;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DatagramCredentialsHandler {

		@Bean
		Object credentialsHandler() {
			return new Object() {

				@UdsHandler("events")
				String handle(String payload, dev.udsboot.socket.PeerCredentials peer) {
					return payload;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DatagramConnectionHandler {

		@Bean
		Object connectionHandler() {
			return new Object() {

				@UdsHandler("events")
				String handle(String payload) {
					return payload;
				}

				@dev.udsboot.annotation.UdsConnectionOpened("events")
				String greet() {
					return "hello";
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondEchoHandler {

		@Bean
		EchoAgain echoAgain() {
			return new EchoAgain();
		}

	}

	static class EchoAgain {

		@UdsHandler("echo")
		String again(String line) {
			return line;
		}

	}

}
