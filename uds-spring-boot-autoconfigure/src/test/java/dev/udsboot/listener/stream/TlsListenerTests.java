package dev.udsboot.listener.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.health.UdsHealthContributorAutoConfiguration;
import dev.udsboot.client.UdsClientException;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.client.UdsTemplates;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.health.UdsHealthContributor;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.RequiredTools;
import dev.udsboot.test.TestCertificates;

import static dev.udsboot.test.ClientProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A TCP listener with TLS from a Spring Boot SSL bundle (PEM files that {@code openssl} makes for
 * the run), reached by {@code socat OPENSSL:} and {@code python3}'s {@code ssl} module; with
 * {@code client-auth: need}, a client without a certificate is refused, logged and counted, and
 * the listener's own health probe still gets in.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsListenerTests {

	@TempDir
	static Path certificatesDir;

	@TempDir
	Path dir;

	private static TestCertificates certificates;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void makeCertificates() throws Exception {
		certificates = TestCertificates.create(certificatesDir);
	}

	@AfterEach
	void closeAll() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(String... properties) {
		return start(List.of(properties));
	}

	private ConfigurableApplicationContext start(List<String> properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TlsApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "uds.listeners.echo-tcp.type=tcp",
					"uds.listeners.echo-tcp.ssl.bundle=server", "uds.listeners.who-tls.type=tcp",
					"uds.listeners.who-tls.ssl.bundle=server", "uds.listeners.who-tls.ssl.client-auth=need")
			.properties(certificates.serverBundle("server"))
			.properties(properties.toArray(new String[0]))
			.run();
		this.contexts.add(context);
		return context;
	}

	private static UdsListenerContainer container(ConfigurableApplicationContext context) {
		UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer("echo-tcp");
		assertThat(container).isNotNull();
		return container;
	}

	@Test
	void socatAndPythonAreAnsweredOverTls(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start();
		TcpAddress address = (TcpAddress) container(context).getAddress();
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-",
				"OPENSSL:" + address + ",cafile=" + certificates.ca() + ",verify=1"), "over tls\n"))
			.isEqualTo("over tls\n");
		String python = """
				import socket, ssl, sys
				context = ssl.create_default_context(cafile=sys.argv[2])
				with socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10) as raw:
				    with context.wrap_socket(raw, server_hostname='127.0.0.1') as s:
				        f = s.makefile('rwb')
				        f.write(b'python over tls\\n'); f.flush()
				        print(f.readline().decode().strip(), s.version())
				""";
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, Integer.toString(address.port()),
				certificates.ca().toString()), "")).startsWith("python over tls TLSv1.");
		assertThat(output).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

	@Test
	void withClientAuthNeedAClientWithoutACertificateIsRefusedLoggedAndCounted(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext context = start("uds.listeners.echo-tcp.ssl.client-auth=need");
		UdsListenerContainer container = container(context);
		TcpAddress address = (TcpAddress) container.getAddress();
		String withCertificate = run(List.of(RequiredTools.require("socat"), "-t", "5", "-",
				"OPENSSL:" + address + ",cafile=" + certificates.ca() + ",cert=" + certificates.clientCertificate()
						+ ",key=" + certificates.clientKey()), "with a certificate\n");
		assertThat(withCertificate).isEqualTo("with a certificate\n");
		String without = run(List.of(RequiredTools.require("socat"), "-t", "5", "-",
				"OPENSSL:" + address + ",cafile=" + certificates.ca()), "without\n");
		assertThat(without).doesNotContain("without\n");
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("the TLS handshake failed"));
		assertThat(container.getStatistics().unauthorizedPeers()).isEqualTo(1);
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ")).toList()).singleElement()
			.asString()
			.contains("Refused connection")
			.contains("listener 'echo-tcp'")
			.contains("the TLS handshake failed");
		HealthIndicator health = (HealthIndicator) context.getBean(UdsHealthContributor.class)
			.getContributor("echo-tcp");
		Health probed = health.health();
		assertThat(probed.getStatus().getCode()).as(probed.toString()).isEqualTo("UP");
		assertThat(container.getStatistics().unauthorizedPeers()).as("the probe got in").isEqualTo(1);
	}

	@Test
	void aClientThatNeverShakesHandsIsClosedWhenTheHandshakeTimesOut(CapturedOutput output) throws Exception {
		// no idle timeout: only the handshake's own bounds the wait
		ConfigurableApplicationContext context = start();
		TcpAddress address = (TcpAddress) container(context).getAddress();
		String python = """
				import socket, sys, time
				s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=30)
				start = time.time()
				while s.recv(100):
				    pass
				print(time.time() - start < 20)
				""";
		// closed (after a TLS alert, perhaps) once the handshake timed out, not held open
		assertThat(run(List.of(RequiredTools.require("python3"), "-c", python, Integer.toString(address.port())), ""))
			.isEqualTo("True\n");
		UdsListenerContainer container = container(context);
		await().atMost(Duration.ofSeconds(5)).until(() -> container.getStatistics().idleTimeouts() == 1);
		assertThat(container.getStatistics().unauthorizedPeers()).as("not a refused peer: a silent one").isZero();
		assertThat(output).doesNotContain(" WARN ");
	}

	@Test
	void udsTemplatesReachTlsListenersTheApplicationServes() {
		ConfigurableApplicationContext context = start();
		UdsTemplates templates = context.getBean(UdsTemplates.class);
		assertThat(templates.forListener("echo-tcp").sendAndReceive("template over tls", String.class))
			.isEqualTo("template over tls");
		// client-auth need: the template presents the bundle's own certificate, which its CA issued
		assertThat(templates.forListener("who-tls").sendAndReceive("who", String.class))
			.isEqualTo("CN=localhost issued by CN=uds-test-ca");
	}

	@Test
	void aReloadedBundleGivesNewConnectionsItsNewCertificateAndKeepsEstablishedOnes(CapturedOutput output)
			throws Exception {
		TestCertificates renewed = TestCertificates.create(Files.createDirectories(this.dir.resolve("renewed")));
		ConfigurableApplicationContext context = startWithReloadingBundle(
				"spring.ssl.bundle.pem.client.truststore.certificate=file:" + certificates.ca());
		TcpAddress address = (TcpAddress) container(context).getAddress();
		assertThat(presentedFingerprint(address)).isEqualTo(fingerprint(certificates.serverCertificate()));
		SSLContext client = context.getBean(SslBundles.class).getBundle("client").createSslContext();
		Socket established = client.getSocketFactory().createSocket(address.host(), address.port());
		try (LineClient before = LineClient.over(established)) {
			assertThat(before.request("before")).isEqualTo("before");
			// a temporary file moved into place, as a certificate renewal writes it: never half a file
			replace(renewed.serverKey(), this.dir.resolve("live/server.key"));
			replace(renewed.serverCertificate(), this.dir.resolve("live/server.pem"));
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(presentedFingerprint(address))
					.isEqualTo(fingerprint(renewed.serverCertificate())));
			assertThat(before.request("after the reload")).as("an established connection keeps its session")
				.isEqualTo("after the reload");
		}
		assertThat(output).contains("Reloaded SSL bundle 'server' (uds.listeners.echo-tcp.ssl.bundle): new "
				+ "connections present its new certificate");
		// the application's own connections trust the listener's certificate as it is now
		HealthIndicator health = (HealthIndicator) context.getBean(UdsHealthContributor.class)
			.getContributor("echo-tcp");
		assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
		assertThat(context.getBean(UdsTemplates.class).forListener("echo-tcp").sendAndReceive("own", String.class))
			.isEqualTo("own");
	}

	@Test
	void aReloadWhoseKeyIsNotTheCertificatesIsRefusedAndTheListenerKeepsItsCertificate(CapturedOutput output)
			throws Exception {
		TestCertificates renewed = TestCertificates.create(Files.createDirectories(this.dir.resolve("renewed")));
		ConfigurableApplicationContext context = startWithReloadingBundle();
		TcpAddress address = (TcpAddress) container(context).getAddress();
		// a renewal caught between its two files: the new certificate, the old key
		replace(renewed.serverCertificate(), this.dir.resolve("live/server.pem"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output).contains("Cannot reload SSL bundle 'server' "
					+ "(uds.listeners.echo-tcp.ssl.bundle): the private key of"));
		assertThat(output).contains("does not belong to its certificate").doesNotContain("Reloaded SSL bundle");
		assertThat(presentedFingerprint(address)).isEqualTo(fingerprint(certificates.serverCertificate()));
	}

	@Test
	void aUdsTemplateRefusesACertificateThatDoesNotNameTheHostItConnectedTo() throws Exception {
		TestCertificates elsewhere = certificates
			.withServerNaming(Files.createDirectories(this.dir.resolve("elsewhere")), "DNS:elsewhere.example");
		List<String> properties = new ArrayList<>(List.of(elsewhere.serverBundle("server")));
		properties.add("spring.ssl.bundle.pem.client.truststore.certificate=file:" + certificates.ca());
		ConfigurableApplicationContext context = start(properties);
		SSLContext client = context.getBean(SslBundles.class).getBundle("client").createSslContext();
		TcpAddress address = (TcpAddress) container(context).getAddress();
		try (UdsTemplate template = UdsTemplate.builder(new TcpAddress("localhost", address.port())).ssl(client).build()) {
			assertThatExceptionOfType(UdsClientException.class)
				.isThrownBy(() -> template.sendAndReceive("who are you", String.class))
				.withStackTraceContaining("No subject alternative DNS name matching localhost");
		}
		assertThat(context.getBean(UdsTemplates.class).forListener("echo-tcp").sendAndReceive("own", String.class))
			.as("the application's own template trusts exactly the listener's certificate")
			.isEqualTo("own");
	}

	/**
	 * Starts with the server bundle's PEM files copied to {@code live/}, where a test replaces
	 * them, and the bundle reloaded on their update.
	 */
	private ConfigurableApplicationContext startWithReloadingBundle(String... properties) throws IOException {
		Path live = Files.createDirectories(this.dir.resolve("live"));
		Files.copy(certificates.serverCertificate(), live.resolve("server.pem"));
		Files.copy(certificates.serverKey(), live.resolve("server.key"));
		String prefix = "spring.ssl.bundle.pem.server.";
		List<String> all = new ArrayList<>(List.of(prefix + "keystore.certificate=file:" + live.resolve("server.pem"),
				prefix + "keystore.private-key=file:" + live.resolve("server.key"), prefix + "reload-on-update=true",
				"spring.ssl.bundle.watch.file.quiet-period=200ms"));
		all.addAll(List.of(properties));
		return start(all);
	}

	private static void replace(Path source, Path target) throws IOException {
		Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
		Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
		Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** The SHA-256 fingerprint of the certificate the listener presents, as python3's ssl module sees it. */
	private static String presentedFingerprint(TcpAddress address) throws Exception {
		String python = """
				import hashlib, socket, ssl, sys
				context = ssl.create_default_context()
				context.check_hostname = False
				context.verify_mode = ssl.CERT_NONE
				with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as raw:
				    with context.wrap_socket(raw) as tls:
				        print(hashlib.sha256(tls.getpeercert(binary_form=True)).hexdigest())
				""";
		return run(List.of(RequiredTools.require("python3"), "-c", python, address.host(),
				Integer.toString(address.port())), "")
			.strip();
	}

	private static String fingerprint(Path pem) throws Exception {
		try (InputStream input = Files.newInputStream(pem)) {
			byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(input).getEncoded();
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
		}
	}

	@Test
	void aUdsTemplateWithAClientBundlePresentsTheClientsCertificate() {
		ConfigurableApplicationContext context = start(clientBundle());
		UdsListenerContainer who = context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer("who-tls");
		assertThat(who).isNotNull();
		SSLContext client = context.getBean(SslBundles.class).getBundle("client").createSslContext();
		try (UdsTemplate template = UdsTemplate.builder(who.getAddress()).ssl(client).build()) {
			assertThat(template.sendAndReceive("who", String.class))
				.isEqualTo("CN=uds-test-client issued by CN=uds-test-ca");
		}
	}

	private static String[] clientBundle() {
		String prefix = "spring.ssl.bundle.pem.client.";
		return new String[] { prefix + "keystore.certificate=file:" + certificates.clientCertificate(),
				prefix + "keystore.private-key=file:" + certificates.clientKey(),
				prefix + "truststore.certificate=file:" + certificates.ca() };
	}

	@Test
	void aHandlerTakesTheVerifiedCertificateOfAClientThatMustPresentOne() throws Exception {
		ConfigurableApplicationContext context = start();
		UdsListenerContainer who = context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer("who-tls");
		assertThat(who).isNotNull();
		assertThat(run(List.of(RequiredTools.require("socat"), "-t", "5", "-",
				"OPENSSL:" + who.getAddress() + ",cafile=" + certificates.ca() + ",cert="
						+ certificates.clientCertificate() + ",key=" + certificates.clientKey()), "who am I\n"))
			.isEqualTo("CN=uds-test-client issued by CN=uds-test-ca\n");
	}


	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
			UdsHealthContributorAutoConfiguration.class, dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration.class })
	@Import({ TcpListenerTests.Events.class, Who.class })
	static class TlsApplication {

	}

	/** Answers with whom the client's certificate names, and who issued it. */
	static class Who {

		@UdsHandler("who-tls")
		String who(String line, PeerCertificates peer) {
			return peer.principal().getName() + " issued by " + peer.certificate().getIssuerX500Principal().getName();
		}

	}

}
