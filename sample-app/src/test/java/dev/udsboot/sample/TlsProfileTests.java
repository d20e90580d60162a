package dev.udsboot.sample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.socket.TcpAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code tls} profile: {@code echo-tls}, the echo handler over TLS with the keystore
 * the build made ({@code target/tls}), answered to {@code socat OPENSSL:} and {@code python3}'s
 * {@code ssl} module, which trust the certificate the build exported.
 */
@SpringBootTest(properties = "uds.sample.dir=${java.io.tmpdir}/uds-sample-tls-test")
@ActiveProfiles("tls")
class TlsProfileTests {

	private static final Path CERTIFICATE = Path.of("target/tls/sample.pem").toAbsolutePath();

	@Autowired
	UdsListenerEndpointRegistry registry;

	private TcpAddress address() {
		UdsListenerContainer echoTls = this.registry.getListenerContainer("echo-tls");
		assertThat(echoTls).isNotNull();
		return (TcpAddress) echoTls.getAddress();
	}

	@Test
	void socatIsAnsweredOverTlsTrustingTheBuildsCertificate() throws Exception {
		ExternalProcess.Result result = ExternalProcess.run(List.of("socat", "-t", "5", "-",
				"OPENSSL:" + address() + ",cafile=" + CERTIFICATE), "over tls\n");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("over tls\n");
	}

	@Test
	void pythonIsAnsweredOverTls() throws Exception {
		ExternalProcess.Result result = ExternalProcess.run(List.of("python3", "-c", """
				import socket, ssl, sys
				context = ssl.create_default_context(cafile=sys.argv[2])
				with socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10) as raw:
				    with context.wrap_socket(raw, server_hostname='localhost') as s:
				        f = s.makefile('rwb')
				        f.write(b'python over tls\\n'); f.flush()
				        print(f.readline().decode().strip())
				""", Integer.toString(address().port()), CERTIFICATE.toString()), "");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("python over tls\n");
	}

}
