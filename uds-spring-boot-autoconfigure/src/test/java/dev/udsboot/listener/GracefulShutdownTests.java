package dev.udsboot.listener;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.TestCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown of a real application, over a Unix domain socket, TCP and TLS: accepting stops at
 * once, in-flight handlers finish and are answered within
 * spring.lifecycle.timeout-per-shutdown-phase, and so are messages the client sent ahead; then
 * connections close and the socket file goes.
 */
class GracefulShutdownTests {

	@TempDir
	static Path certificatesDir;

	private static TestCertificates certificates;

	@TempDir
	Path dir;

	private SlowHandler handler;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void makeCertificates() throws Exception {
		certificates = TestCertificates.create(certificatesDir);
	}

	@AfterEach
	void release() {
		if (this.handler != null) {
			this.handler.release.countDown();
		}
		if (this.context != null) {
			this.context.close();
		}
	}

	private ConfigurableApplicationContext start(String transport, String timeout) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("spring.lifecycle.timeout-per-shutdown-phase=" + timeout, "spring.main.banner-mode=off");
		if (transport.equals("uds")) {
			builder.properties("uds.listeners.slow.path=" + this.dir.resolve("slow.sock"));
		}
		else {
			builder.properties("uds.listeners.slow.type=tcp");
		}
		if (transport.equals("tls")) {
			builder.properties("uds.listeners.slow.ssl.bundle=server",
					"spring.ssl.bundle.pem.client.truststore.certificate=file:" + certificates.ca())
				.properties(certificates.serverBundle("server"));
		}
		this.context = builder.run();
		this.handler = this.context.getBean(SlowHandler.class);
		return this.context;
	}

	private ListenerAddress address() {
		UdsListenerContainer container = this.context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer("slow");
		assertThat(container).isNotNull();
		return container.getAddress();
	}

	private LineClient connect(String transport, ListenerAddress address) throws IOException {
		if (address instanceof UdsAddress uds) {
			return LineClient.connect(uds);
		}
		Socket socket = new Socket();
		socket.connect(((TcpAddress) address).toSocketAddress(), 5_000);
		if (transport.equals("tls")) {
			SSLContext client = this.context.getBean(SslBundles.class).getBundle("client").createSslContext();
			TcpAddress tcp = (TcpAddress) address;
			socket = client.getSocketFactory().createSocket(socket, tcp.host(), tcp.port(), true);
		}
		return LineClient.over(socket);
	}

	@ParameterizedTest
	@ValueSource(strings = { "uds", "tcp", "tls" })
	void inFlightRequestAndWhatTheClientSentAheadAreAnsweredBeforeTheConnectionCloses(String transport)
			throws Exception {
		ConfigurableApplicationContext context = start(transport, "10s");
		ListenerAddress address = address();
		try (LineClient client = connect(transport, address); LineClient idle = connect(transport, address)) {
			// the idle client's handshake (TLS) is done before the listener stops
			assertThat(idle.request("ping")).isEqualTo("done ping");
			client.writeLine("work");
			assertThat(this.handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
			// sent while the handler runs: in the kernel's buffer, not yet read, when the stop begins
			client.writeLine("queued");
			client.writeLine("queued too");
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThatIOException().isThrownBy(() -> connect(transport, address).close()));
			assertThat(idle.readLine()).as("an idle connection is closed at once").isNull();
			assertThat(closing).isNotDone();
			this.handler.release.countDown();
			assertThat(client.readLine()).isEqualTo("done work");
			assertThat(client.readLine()).as("data sent before shutdown is still answered").isEqualTo("done queued");
			assertThat(client.readLine()).isEqualTo("done queued too");
			assertThat(client.readLine()).isNull();
			closing.get(10, TimeUnit.SECONDS);
		}
		if (address instanceof UdsAddress uds) {
			assertThat(uds.path()).doesNotExist();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "uds", "tcp" })
	void handlerOutlivingTheTimeoutIsCutOff(String transport) throws Exception {
		ConfigurableApplicationContext context = start(transport, "300ms");
		try (LineClient client = connect(transport, address())) {
			client.writeLine("forever");
			assertThat(this.handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
			long started = System.nanoTime();
			context.close();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(readOrEof(client)).isNull();
		}
		assertThat(this.dir.resolve("slow.sock")).doesNotExist();
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
			if (line.equals("ping")) {
				return "done ping";
			}
			this.entered.countDown();
			this.release.await(20, TimeUnit.SECONDS);
			return "done " + line;
		}

	}

}
