package dev.udsboot.sample;

import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's listeners, in this JVM, with clients this project did not write.
 */
@SpringBootTest(properties = "uds.sample.dir=${java.io.tmpdir}/uds-sample-echo-test")
class EchoListenerClientsTests extends SampleClientChecks {

	@Value("${uds.sample.dir}")
	Path dir;

	@Autowired
	UdsListenerEndpointRegistry registry;

	@Override
	Path sampleDir() {
		return this.dir;
	}

	@Override
	String echoTcpAddress() {
		UdsListenerContainer echoTcp = this.registry.getListenerContainer("echo-tcp");
		assertThat(echoTcp).isNotNull();
		return echoTcp.getAddress().toString();
	}

}
