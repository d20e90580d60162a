package dev.udsboot.listener.stream;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Edge cases of a stream listener's life: shutdown in the middle of an eof-framed message, replies
 * that cannot be framed, and a socket file deleted under a running listener.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamListenerEdgeCaseTests {

	@TempDir
	Path dir;

	@Test
	void eofMessageCutShortByShutdownIsDroppedNotHandled(CapturedOutput output) throws Exception {
		List<String> handled = new CopyOnWriteArrayList<>();
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("eof.sock")).framing(Framing.EOF).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> {
			handled.add(new String(payload, StandardCharsets.UTF_8));
			return EncodedReply.of(payload);
		}, Duration.ofSeconds(1));
		container.start();
		try (LineClient client = LineClient.connect(definition.udsAddress())) {
			client.write("partial-not-finished".getBytes(StandardCharsets.UTF_8));
			await().until(() -> container.getActiveConnections() == 1);
			CompletableFuture.runAsync(container::stop).get(10, TimeUnit.SECONDS);
			assertThat(client.input().read()).isEqualTo(-1);
		}
		assertThat(handled).isEmpty();
		assertThat(container.getStatistics().truncatedFrames()).isEqualTo(1);
		assertThat(output).contains("Dropped an eof-framed message");
	}

	@Test
	void replyContainingTheTerminatorClosesTheConnectionInsteadOfSplitting(CapturedOutput output) throws Exception {
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("line.sock")).build();
		StreamListenerContainer container = new StreamListenerContainer(definition,
				(payload, session) -> EncodedReply.of(new String(payload, StandardCharsets.UTF_8).equals("split")
						? "first\nsecond".getBytes(StandardCharsets.UTF_8) : payload),
				Duration.ofSeconds(1));
		container.start();
		try (LineClient bad = LineClient.connect(definition.udsAddress());
				LineClient good = LineClient.connect(definition.udsAddress())) {
			bad.writeLine("split");
			assertThat(bad.readLine()).as("no part of the reply is sent").isNull();
			assertThat(good.request("fine")).isEqualTo("fine");
		}
		finally {
			container.stop();
		}
		assertThat(container.getStatistics().handlerErrors()).isEqualTo(1);
		assertThat(output).contains("contains the line framing's terminator");
	}

	@Test
	void listenerWhoseSocketFileIsDeletedStopsAcceptingOnceAndSaysSo(CapturedOutput output) throws Exception {
		Path socket = this.dir.resolve("gone.sock");
		UdsListenerDefinition definition = TestListeners.at(socket).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> EncodedReply.of(payload),
				Duration.ofSeconds(1));
		container.start();
		try (var entries = Files.list(this.dir)) {
			Path privateDirectory = entries.filter((p) -> p.getFileName().toString().startsWith(".uds-"))
				.findFirst()
				.orElseThrow();
			Files.delete(privateDirectory.resolve("s"));
		}
		try {
			LineClient.connect(definition.udsAddress()).close();
		}
		catch (java.io.IOException ex) {
			// the listener may already have gone
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !container.isRunning());
		Thread.sleep(300);
		assertThat(output.toString().split("Stopped accepting on listener 'test'", -1)).hasSize(2);
		assertThat(output).doesNotContain("retrying");
		container.close();
	}

}
