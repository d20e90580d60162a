package dev.udsboot.listener.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;

class StreamListenerContainerTests {

	@TempDir
	Path dir;

	@Test
	void echoesLinesAndRemovesSocketFileOnStop() throws Exception {
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("echo.sock")).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> EncodedReply.of(payload),
				Duration.ofSeconds(1));
		container.start();
		try (LineClient client = LineClient.connect(definition.udsAddress())) {
			assertThat(client.request("hello")).isEqualTo("hello");
			assertThat(client.request("")).isEmpty();
			assertThat(client.request("crlf\r")).isEqualTo("crlf");
		}
		finally {
			container.stop();
		}
		assertThat(this.dir.resolve("echo.sock")).doesNotExist();
		try (var entries = Files.list(this.dir)) {
			assertThat(entries).isEmpty();
		}
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(3);
		assertThat(container.getStatistics().messagesSent()).isEqualTo(3);
	}

}
