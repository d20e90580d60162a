package dev.udsboot.listener.datagram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerInterceptor;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A datagram container's {@link UdsListenerInterceptor}: asked first about each datagram, even one
 * over max-message-size; one it declines is handled as usual, even after it read the payload it
 * was shown; one it takes reaches no handler and no counter, and its replies reach the sender.
 */
class DatagramInterceptorTests {

	@TempDir
	Path dir;

	@Test
	void aDatagramTheInterceptorDeclinesIsHandledAsUsual() throws Exception {
		Recording listener = new Recording();
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("declined.sock")).datagram().build();
		DatagramListenerContainer container = new DatagramListenerContainer(definition, listener);
		List<String> shown = new CopyOnWriteArrayList<>();
		container.addInterceptor(new UdsListenerInterceptor() {

			@Override
			public boolean interceptDatagram(@Nullable AFUNIXSocketAddress from, ByteBuffer payload,
					Consumer<byte[]> reply) {
				// reads all it is shown: the container's own view is left as it was
				shown.add(StandardCharsets.UTF_8.decode(payload).toString());
				return false;
			}

		});
		container.start();
		try (AFUNIXDatagramChannel client = client("declined")) {
			assertThat(ask(client, definition, "hello")).isEqualTo("hello");
		}
		finally {
			container.stop();
		}
		assertThat(shown).containsExactly("hello");
		assertThat(listener.payloads).containsExactly("hello");
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1);
		assertThat(container.getStatistics().messagesSent()).isEqualTo(1);
	}

	@Test
	void aDatagramTheInterceptorTakesReachesNoHandlerAndNoCounterEvenOverMaxMessageSize() throws Exception {
		Recording listener = new Recording();
		UdsListenerDefinition definition = TestListeners.at(this.dir.resolve("taken.sock"))
			.datagram()
			.maxMessageSize(8)
			.build();
		DatagramListenerContainer container = new DatagramListenerContainer(definition, listener);
		AtomicReference<Consumer<byte[]>> kept = new AtomicReference<>();
		container.addInterceptor(new UdsListenerInterceptor() {

			@Override
			public boolean interceptDatagram(@Nullable AFUNIXSocketAddress from, ByteBuffer payload,
					Consumer<byte[]> reply) {
				String text = StandardCharsets.UTF_8.decode(payload).toString();
				if (!text.startsWith("ours:")) {
					return false;
				}
				reply.accept(("first " + text).getBytes(StandardCharsets.UTF_8));
				reply.accept(("second " + text).getBytes(StandardCharsets.UTF_8));
				kept.set(reply);
				return true;
			}

		});
		container.start();
		try (AFUNIXDatagramChannel client = client("taken")) {
			// 16 bytes, over max-message-size: the interceptor is asked before the size is checked
			assertThat(ask(client, definition, "ours:0123456789A")).isEqualTo("first ours:0123456789A");
			assertThat(receive(client)).isEqualTo("second ours:0123456789A");
			// a reply given after the interceptor returned goes out at once
			kept.get().accept("later".getBytes(StandardCharsets.UTF_8));
			assertThat(receive(client)).isEqualTo("later");
			assertThat(listener.payloads).isEmpty();
			assertThat(container.getStatistics().toMap().values()).containsOnly(0L);
			assertThat(ask(client, definition, "theirs")).isEqualTo("theirs");
		}
		finally {
			container.stop();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> listener.payloads.size() == 1);
		assertThat(listener.payloads).containsExactly("theirs");
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1);
		assertThat(container.getStatistics().messagesSent()).isEqualTo(1);
	}

	private AFUNIXDatagramChannel client(String name) throws IOException {
		AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
		channel.bind(AFUNIXSocketAddress.of(this.dir.resolve(name + "-client.sock")));
		channel.socket().setSoTimeout(10_000);
		return channel;
	}

	private static String ask(AFUNIXDatagramChannel client, UdsListenerDefinition definition, String payload)
			throws IOException {
		client.send(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), definition.udsAddress().toSocketAddress());
		return receive(client);
	}

	private static String receive(AFUNIXDatagramChannel client) throws IOException {
		ByteBuffer reply = ByteBuffer.allocate(1024);
		client.receive(reply);
		reply.flip();
		return StandardCharsets.UTF_8.decode(reply).toString();
	}

	/** Echoes datagrams, and records them. */
	static final class Recording implements UdsMessageListener {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@Override
		public @Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer) {
			this.payloads.add(new String(payload, StandardCharsets.UTF_8));
			return EncodedReply.of(payload);
		}

	}

}
