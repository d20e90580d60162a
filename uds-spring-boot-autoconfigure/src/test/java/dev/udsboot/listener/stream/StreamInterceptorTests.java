package dev.udsboot.listener.stream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerInterceptor;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream container's {@link UdsListenerInterceptor}: asked first about each new connection; one
 * it declines is served as usual, even after it peeked at its first bytes; one it takes reaches
 * no handler, event handler or counter.
 */
class StreamInterceptorTests {

	@TempDir
	Path dir;

	@Test
	void aConnectionTheInterceptorDeclinesIsServedAsUsualWithNothingItPeekedAtLost() throws Exception {
		Recording listener = new Recording();
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("declined.sock")).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, listener, Duration.ofSeconds(1));
		List<String> peeked = new CopyOnWriteArrayList<>();
		List<Long> pids = new CopyOnWriteArrayList<>();
		container.addInterceptor(new UdsListenerInterceptor() {

			@Override
			public boolean isActive() {
				return false;
			}

			@Override
			public boolean interceptConnection(InterceptedConnection connection) throws IOException {
				throw new AssertionError("inactive: never asked");
			}

		});
		container.addInterceptor(new UdsListenerInterceptor() {

			@Override
			public boolean interceptConnection(InterceptedConnection connection) throws IOException {
				pids.add(connection.peerPid());
				peeked.add(new String(connection.peek(5000), StandardCharsets.UTF_8));
				return false;
			}

		});
		container.start();
		try (LineClient client = LineClient.connect(definition.udsAddress())) {
			client.write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
			assertThat(client.readLine()).isEqualTo("one");
			assertThat(client.readLine()).isEqualTo("two");
			assertThat(client.request("three")).isEqualTo("three");
		}
		finally {
			container.stop();
		}
		assertThat(pids).containsExactly(ProcessHandle.current().pid());
		assertThat(peeked).singleElement().asString().startsWith("one\n");
		assertThat(listener.events).containsExactly("opened", "one", "two", "three", "closed");
		assertThat(container.getStatistics().connectionsOpened()).isEqualTo(1);
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(3);
		assertThat(container.getStatistics().messagesSent()).isEqualTo(3);
	}

	@Test
	void aConnectionTheInterceptorTakesReachesNoHandlerAndNoCounter() throws Exception {
		Recording listener = new Recording();
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("taken.sock")).build();
		StreamListenerContainer container = new StreamListenerContainer(definition, listener, Duration.ofSeconds(1));
		container.addInterceptor(new UdsListenerInterceptor() {

			@Override
			public boolean interceptConnection(InterceptedConnection connection) throws IOException {
				byte[] first = connection.peek(5000);
				if (!new String(first, StandardCharsets.UTF_8).startsWith("PING")) {
					return false;
				}
				connection.skip(4);
				connection.write("PONG".getBytes(StandardCharsets.UTF_8));
				return true;
			}

		});
		container.start();
		try {
			try (LineClient ours = LineClient.connect(definition.udsAddress())) {
				ours.write("PING".getBytes(StandardCharsets.UTF_8));
				assertThat(new String(ours.input().readNBytes(5), StandardCharsets.UTF_8)).as("answered, then closed")
					.isEqualTo("PONG");
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> container.getActiveConnections() == 0);
			assertThat(listener.events).isEmpty();
			assertThat(container.getStatistics().toMap().values()).containsOnly(0L);
			try (LineClient client = LineClient.connect(definition.udsAddress())) {
				assertThat(client.request("served")).isEqualTo("served");
			}
		}
		finally {
			container.stop();
		}
		assertThat(listener.events).containsExactly("opened", "served", "closed");
		assertThat(container.getStatistics().connectionsOpened()).isEqualTo(1);
	}

	/** Echoes lines, and records them and the connection events. */
	static final class Recording implements UdsMessageListener {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public @Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer) {
			this.events.add(new String(payload, StandardCharsets.UTF_8));
			return EncodedReply.of(payload);
		}

		@Override
		public void onConnectionOpened(UdsSession session) {
			this.events.add("opened");
		}

		@Override
		public void onConnectionClosed(UdsSession session) {
			this.events.add("closed");
		}

	}

}
