package dev.udsboot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.test.EchoHandlerConfiguration;
import dev.udsboot.test.ForeignServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Each startup failure the starter raises is a Spring Boot failure report (Description and
 * Action, naming the full property and its value), not a stack trace: the application is really
 * started with {@link SpringApplicationBuilder}, and the report is read from its output.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@TempDir
	Path dir;

	@Test
	void handlerNamingAListenerThatIsNotConfigured(CapturedOutput output) {
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class, EckoHandler.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"));
		assertThat(report).contains("@UdsHandler(\"ecko\") on method 'ecko' of bean",
				"names a listener that is not configured: there is no uds.listeners.ecko (configured listeners: [echo])",
				"Action:", "Configure the listener (uds.listeners.ecko.path or uds.listeners.ecko.abstract-name)",
				"Did you mean 'echo'?");
	}

	@Test
	void listenerThatNoHandlerServes(CapturedOutput output) {
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"),
				"uds.listeners.status.path=" + this.dir.resolve("status.sock"));
		assertThat(report).contains("The listener uds.listeners.status is configured, but no @UdsHandler(\"status\")",
				"(handler methods serve [echo])", "Action:",
				"Add a method annotated @UdsHandler(\"status\") to a bean of the application (a @Component in a "
						+ "package the application scans), or remove uds.listeners.status");
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
	}

	@Test
	void regularFileAtTheSocketPath(CapturedOutput output) throws Exception {
		Path file = this.dir.resolve("echo.sock");
		Files.writeString(file, "precious");
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + file);
		assertThat(report).contains("Listener 'echo' could not bind its socket " + file
				+ " (uds.listeners.echo.path): it is a regular file, not a socket.", "Action:",
				"Remove " + file + " if nothing needs it (the starter never deletes what is not a socket), or set "
						+ "uds.listeners.echo.path to another path.");
		assertThat(file).hasContent("precious");
	}

	@Test
	void missingDirectory(CapturedOutput output) {
		Path socket = this.dir.resolve("run/myapp/echo.sock");
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + socket);
		assertThat(report).contains("Listener 'echo' could not bind its socket " + socket
				+ " (uds.listeners.echo.path): the directory " + socket.getParent() + " does not exist.", "Action:",
				"set uds.listeners.echo.create-directories=true to have the application create it");
	}

	@Test
	void liveSocketOfAnotherProcess(CapturedOutput output) throws Exception {
		Path socket = this.dir.resolve("echo.sock");
		Process socat = ForeignServers.startSocatEcho(socket);
		try {
			String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
					"uds.listeners.echo.path=" + socket);
			assertThat(report).contains("Listener 'echo' could not bind its socket " + socket
					+ " (uds.listeners.echo.path): another process is accepting connections on it.", "Action:",
					"Stop the other process (`ss -xlp | grep " + socket + "` names it), or set uds.listeners.echo.path "
							+ "to another path.");
			assertThat(ForeignServers.canConnect(socket)).isTrue();
		}
		finally {
			ForeignServers.killWithSigkill(socat);
		}
	}

	@Test
	void twoListenersOfTheApplicationOnOnePath(CapturedOutput output) {
		Path socket = this.dir.resolve("echo.sock");
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class, EckoHandler.class),
				"uds.listeners.echo.path=" + socket, "uds.listeners.ecko.path=" + socket);
		assertThat(report).contains("Invalid value '" + socket + "' for configuration property 'uds.listeners.ecko.path'",
				"uds.listeners.echo.path is the same socket: each listener needs a socket of its own")
			.doesNotContain("another process");
	}

	@Test
	void pathHeldByAnotherContextOfThisProcess(CapturedOutput output) {
		Path socket = this.dir.resolve("echo.sock");
		try (var first = application(List.of(EchoHandlerConfiguration.class), "uds.listeners.echo.path=" + socket)
			.run()) {
			String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
					"uds.listeners.echo.path=" + socket);
			assertThat(report).contains("Listener 'echo' could not bind its socket " + socket
					+ " (uds.listeners.echo.path): another listener or the management socket of this application is "
					+ "bound to it.", "Action:", "Give each listener and the management socket (uds.management.path) "
							+ "a path of its own.");
			assertThat(ForeignServers.canConnect(socket)).isTrue();
		}
	}

	@Test
	void abstractNameHeldByAnotherSocket(CapturedOutput output) throws Exception {
		String name = "uds-report-test-" + ProcessHandle.current().pid();
		try (AFUNIXServerSocket holder = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.inAbstractNamespace(name))) {
			String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
					"uds.listeners.echo.abstract-name=" + name);
			assertThat(report).contains("Listener 'echo' could not bind the abstract name '" + name
					+ "' (uds.listeners.echo.abstract-name): another socket holds it.", "Action:",
					"or set uds.listeners.echo.abstract-name to another name.");
		}
	}

	@Test
	void datagramHandlerWhoseCredentialsAreNotNullable(CapturedOutput output) {
		String report = failToStart(output, List.of(DatagramCredentialsHandler.class),
				"uds.listeners.events.path=" + this.dir.resolve("events.sock"), "uds.listeners.events.type=datagram");
		assertThat(report).contains("declares a PeerCredentials parameter that is not @Nullable, but listener "
				+ "'events'", "(uds.listeners.events.type=datagram)", "Action:",
				"Declare the parameter @Nullable (org.jspecify.annotations.Nullable");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(classes = { TcpCredentialsHandler.class, TcpDescriptorHandler.class, TcpDescriptorListHandler.class,
			TcpReplyWithDescriptorsHandler.class, TcpCertificatesHandler.class })
	void handlerThatNeedsWhatTcpCannotCarry(Class<?> handler, CapturedOutput output) {
		String report = failToStart(output, List.of(handler), "uds.listeners.echo-tcp.type=tcp");
		assertThat(report).contains("@UdsHandler", "listener 'echo-tcp' (127.0.0.1:0)", "Action:");
	}

	@Test
	void tcpPortInUse(CapturedOutput output) throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			String report = failToStart(output, List.of(TcpEchoHandler.class), "uds.listeners.echo-tcp.type=tcp",
					"uds.listeners.echo-tcp.port=" + taken.getLocalPort());
			assertThat(report).contains("Listener 'echo-tcp' cannot listen on 127.0.0.1:" + taken.getLocalPort()
					+ " (uds.listeners.echo-tcp.host, uds.listeners.echo-tcp.port)", "set uds.listeners.echo-tcp.port");
		}
	}

	@Test
	void clientPropertyOutOfRange(CapturedOutput output) {
		String report = failToStart(output,
				List.of(EchoHandlerConfiguration.class, ClientAutoconfigured.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"), "uds.client.max-connections=0");
		assertThat(report).contains("Invalid value '0' for configuration property 'uds.client.max-connections'",
				"uds.client.max-connections must be at least 1", "Action:");
	}

	@Test
	void misspeltPropertyNames(CapturedOutput output) {
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"), "uds.listeners.echo.file-mod=0600",
				"uds.listners.other.path=/tmp/other.sock");
		assertThat(report).contains("The configuration sets properties that uds-spring-boot does not have",
				"uds.listeners.echo.file-mod (\"uds.listeners.echo.file-mod\" from property source",
				"did you mean uds.listeners.echo.file-mode?", "uds.listners.other.path",
				"did you mean uds.listeners.other.path?", "Action:", "Correct or remove them.");
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
	}

	@Test
	void anIndexOnAPropertyThatIsNoListIsUnknown(CapturedOutput output) {
		// YAML "file-mode: [0600]" binds nothing and would leave the default mode
		String report = failToStart(output, List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"), "uds.listeners.echo.file-mode[0]=0600");
		assertThat(report).contains("uds.listeners.echo.file-mode[0]", "did you mean uds.listeners.echo.file-mode?");
	}

	@Test
	void validNamesInEveryFormPass(CapturedOutput output) {
		// relaxed forms, list indexes and the other groups of the starter are all known names
		try (var context = application(List.of(EchoHandlerConfiguration.class),
				"uds.listeners.echo.path=" + this.dir.resolve("echo.sock"), "uds.listeners.echo.fileMode=0600",
				"uds.listeners.echo.allowed-uids[0]=0", "uds.listeners.echo.allowed-uids.1=0",
				"uds.management.exposure.include[0]=health", "uds.listeners.echo.max_connections=10",
				"uds.client.timeout=3s", "uds.enabled=true").run()) {
			assertThat(this.dir.resolve("echo.sock")).exists();
		}
	}

	private String failToStart(CapturedOutput output, List<Class<?>> configurations, String... properties) {
		assertThatException().isThrownBy(() -> application(configurations, properties).run().close());
		String all = output.getAll();
		int start = all.lastIndexOf("APPLICATION FAILED TO START");
		assertThat(start).as("a failure report in:%n%s", all).isNotNegative();
		String report = all.substring(start);
		// a report, not a stack trace
		assertThat(report).contains("Description:", "Action:").doesNotContain("\tat dev.udsboot.");
		assertThat(all).doesNotContain("Application run failed");
		return report;
	}

	private SpringApplicationBuilder application(List<Class<?>> configurations, String... properties) {
		List<Class<?>> sources = new ArrayList<>(configurations);
		sources.add(0, Autoconfigured.class);
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.properties(properties)
			.properties("spring.main.banner-mode=off");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class })
	static class Autoconfigured {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration.class)
	static class ClientAutoconfigured {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(EckoHandler.Handler.class)
	static class EckoHandler {

		static class Handler {

			@UdsHandler("ecko")
			String ecko(String line) {
				return line;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TcpEchoHandler {

		@UdsHandler("echo-tcp")
		String echo(String line) {
			return line;
		}

	}

	static class TcpCertificatesHandler {

		@UdsHandler("echo-tcp")
		String echo(String line, dev.udsboot.socket.PeerCertificates peer) {
			return line;
		}

	}

	static class TcpCredentialsHandler {

		@UdsHandler("echo-tcp")
		String echo(String line, PeerCredentials peer) {
			return line;
		}

	}

	static class TcpDescriptorHandler {

		@UdsHandler("echo-tcp")
		String echo(String line, java.io.FileDescriptor descriptor) {
			return line;
		}

	}

	static class TcpDescriptorListHandler {

		@UdsHandler("echo-tcp")
		String echo(String line, List<java.io.FileDescriptor> descriptors) {
			return line;
		}

	}

	static class TcpReplyWithDescriptorsHandler {

		@UdsHandler("echo-tcp")
		dev.udsboot.listener.UdsReply echo(String line) {
			return new dev.udsboot.listener.UdsReply(line, List.of());
		}

	}

	static class DatagramCredentialsHandler {

		@Bean
		CredentialsHandler credentialsHandler() {
			return new CredentialsHandler();
		}

		static class CredentialsHandler {

			@UdsHandler("events")
			@Nullable String handle(String payload, PeerCredentials peer) {
				return payload;
			}

		}

	}

}
