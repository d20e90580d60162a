package dev.udsboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A throwaway certificate authority, a server certificate for {@code 127.0.0.1} and
 * {@code localhost}, and a client certificate, made with {@code openssl} for a test run (no key is
 * ever committed), valid for two days.
 *
 * @param ca the CA's certificate (PEM)
 * @param serverCertificate the server's certificate (PEM)
 * @param serverKey the server's private key (PEM, PKCS#8)
 * @param clientCertificate the client's certificate (PEM)
 * @param clientKey the client's private key (PEM, PKCS#8)
 */
public record TestCertificates(Path ca, Path serverCertificate, Path serverKey, Path clientCertificate,
		Path clientKey) {

	/**
	 * Makes the certificates in a directory.
	 * @param dir where the files go
	 * @return the files
	 * @throws Exception if openssl fails (it is required: a missing openssl fails the test)
	 */
	public static TestCertificates create(Path dir) throws Exception {
		String openssl = RequiredTools.require("openssl");
		Path ca = dir.resolve("ca.pem");
		Path caKey = dir.resolve("ca.key");
		openssl(dir, openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
				"-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=uds-test-ca");
		Path serverKey = dir.resolve("server.key");
		Path server = dir.resolve("server.pem");
		sign(dir, openssl, ca, caKey, "server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
		Path clientKey = dir.resolve("client.key");
		Path client = dir.resolve("client.pem");
		sign(dir, openssl, ca, caKey, "client", "/CN=uds-test-client", "extendedKeyUsage=clientAuth");
		return new TestCertificates(ca, server, serverKey, client, clientKey);
	}

	/**
	 * Issues another server certificate from the same authority, naming other hosts.
	 * @param dir where its files go (not this one's directory)
	 * @param subjectAltName e.g. {@code DNS:elsewhere.example}
	 * @return these certificates with that server certificate and key
	 * @throws Exception if openssl fails
	 */
	public TestCertificates withServerNaming(Path dir, String subjectAltName) throws Exception {
		sign(dir, RequiredTools.require("openssl"), this.ca, this.ca.resolveSibling("ca.key"), "server", "/CN=elsewhere",
				"subjectAltName=" + subjectAltName);
		return new TestCertificates(this.ca, dir.resolve("server.pem"), dir.resolve("server.key"),
				this.clientCertificate, this.clientKey);
	}

	private static void sign(Path dir, String openssl, Path ca, Path caKey, String name, String subject,
			String extension) throws Exception {
		Path key = dir.resolve(name + ".key");
		Path request = dir.resolve(name + ".csr");
		Path extensions = Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
		openssl(dir, openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				key.toString(), "-out", request.toString(), "-subj", subject);
		openssl(dir, openssl, "x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey",
				caKey.toString(), "-CAcreateserial", "-out", dir.resolve(name + ".pem").toString(), "-days", "2",
				"-extfile", extensions.toString());
	}

	private static void openssl(Path dir, String openssl, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(openssl));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
	}

	/**
	 * Returns the properties of a Spring Boot PEM bundle with the server's certificate and key,
	 * trusting the CA (so clients with its certificates are let in).
	 * @param bundle the bundle's name
	 * @return {@code spring.ssl.bundle.pem.<bundle>.*} properties
	 */
	public String[] serverBundle(String bundle) {
		String prefix = "spring.ssl.bundle.pem." + bundle + ".";
		return new String[] { prefix + "keystore.certificate=file:" + this.serverCertificate,
				prefix + "keystore.private-key=file:" + this.serverKey, prefix + "truststore.certificate=file:" + this.ca };
	}

}
