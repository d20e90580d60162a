package dev.udsboot.listener.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.RequiredTools;
import dev.udsboot.test.TestListeners;

import static dev.udsboot.test.WireFrames.ascii;
import static dev.udsboot.test.WireFrames.concat;
import static dev.udsboot.test.WireFrames.frame;
import static dev.udsboot.test.WireFrames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Every framing over real sockets: an echo listener, junixsocket clients that encode frames by
 * hand from the documented wire formats, and {@code socat} as a client that shares no code with
 * the starter.
 */
class StreamFramingIntegrationTests {

	private static final int MAX = 1000;

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

	private static final AtomicInteger processFiles = new AtomicInteger();

	@TempDir
	Path dir;

	private final List<StreamListenerContainer> containers = new ArrayList<>();

	@AfterEach
	void stopContainers() {
		this.containers.forEach(StreamListenerContainer::close);
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void echoesMaxAndClosesOnlyTheConnectionThatSentMaxPlusOne(Framing framing) throws IOException {
		StreamListenerContainer container = startEcho(listener(framing).build());
		UdsListenerStatistics statistics = container.getStatistics();
		byte[] max = payload(MAX);
		String errorReply;
		try (LineClient other = connect(container); LineClient big = connect(container)) {
			if (framing == Framing.EOF) {
				// one message per connection: the one before is on a connection of its own
				try (LineClient before = connect(container)) {
					exchange(before, framing, ascii("before"));
				}
				try (LineClient exact = connect(container)) {
					exchange(exact, framing, max);
				}
			}
			else {
				exchange(other, framing, ascii("before"));
				exchange(big, framing, max);
				exchange(other, framing, ascii("between"));
			}
			send(big, framing, payload(MAX + 1));
			errorReply = assertClosedByServer(big);
			waiting().until(statistics::oversizedFrames, (count) -> count == 1);
			exchange(other, framing, ascii("after"));
			if (framing != Framing.EOF) {
				exchange(other, framing, max);
			}
		}
		try (LineClient late = connect(container)) {
			exchange(late, framing, ascii("later"));
		}
		assertThat(statistics.oversizedFrames()).isEqualTo(1);
		assertThat(statistics.malformedFrames()).isZero();
		assertThat(statistics.truncatedFrames()).isZero();
		assertThat(statistics.handlerErrors()).isZero();
		long served = (framing == Framing.EOF) ? 4 : 6;
		assertThat(statistics.messagesReceived()).isEqualTo(served);
		// counted once written: the client may have the last reply first; the error reply counts too
		waiting().until(statistics::messagesSent, (sent) -> sent == served + 1);
		// every echo, and the error reply's payload
		assertThat(statistics.bytesSent())
			.isEqualTo(statistics.bytesReceived() + errorReply.getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void lineFramingLimitDoesNotCountTheCarriageReturn() throws IOException {
		StreamListenerContainer container = startEcho(listener(Framing.LINE).build());
		byte[] max = payload(MAX);
		try (LineClient client = connect(container)) {
			client.write(concat(max, ascii("\r\n")));
			assertThat(client.input().readNBytes(MAX + 1)).isEqualTo(frame(Framing.LINE, max));
			client.write(concat(payload(MAX + 1), ascii("\r\n")));
			assertClosedByServer(client);
		}
		waiting().until(container.getStatistics()::oversizedFrames, (count) -> count == 1);
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1);
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "LENGTH_PREFIX", "NULL", "STX_ETX" })
	void answersPipelinedFramesInOrder(Framing framing) throws IOException {
		StreamListenerContainer container = startEcho(listener(framing).build());
		ByteArrayOutputStream requests = new ByteArrayOutputStream();
		ByteArrayOutputStream replies = new ByteArrayOutputStream();
		int count = 200;
		for (int i = 0; i < count; i++) {
			byte[] payload = switch (i % 4) {
				case 0 -> ascii("request-" + i);
				case 1 -> new byte[0];
				case 2 -> payload(MAX);
				default -> payload(i);
			};
			requests.writeBytes(frame(framing, payload));
			replies.writeBytes(frame(framing, payload));
		}
		try (LineClient client = connect(container)) {
			client.write(requests.toByteArray());
			assertThat(client.input().readNBytes(replies.size())).isEqualTo(replies.toByteArray());
			exchange(client, framing, ascii("still served"));
		}
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(count + 1);
	}

	@Test
	void noneFramingAnswersEachChunk() throws IOException {
		StreamListenerContainer container = startEcho(listener(Framing.NONE).build());
		try (LineClient client = connect(container)) {
			for (int size : new int[] { 1, 2, MAX, 10, MAX - 1 }) {
				exchange(client, Framing.NONE, payload(size));
			}
			// no delimiters: bytes that would end a frame in other framings are data
			exchange(client, Framing.NONE, ascii("a\nb\r\n\0\u0002\u0003"));
		}
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(6);
	}

	@Test
	void eofFramingRepliesAndClosesAfterTheClientShutsDownItsOutput() throws IOException {
		StreamListenerContainer container = startEcho(listener(Framing.EOF).build());
		byte[] message = ascii("line one\nline two\r\n\0 and more");
		try (LineClient client = connect(container)) {
			client.write(message);
			client.shutdownOutput();
			InputStream input = client.input();
			assertThat(input.readNBytes(message.length)).isEqualTo(message);
			assertThat(input.read()).isEqualTo(-1);
		}
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1);
	}

	@Test
	void lineFramingWithSocat() throws Exception {
		StreamListenerContainer container = startEcho(listener(Framing.LINE).build());
		String output = socat("a\nb\n", "-t", "5", "-", "UNIX-CONNECT:" + socketPath(container));
		assertThat(output).isEqualTo("a\nb\n");
		String crlf = socat("with cr\r\n\nlast\n", "-t", "5", "-", "UNIX-CONNECT:" + socketPath(container));
		assertThat(crlf).isEqualTo("with cr\n\nlast\n");
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(5);
		assertThat(container.getStatistics().connectionsOpened()).isEqualTo(2);
	}

	@Test
	void eofFramingWithSocat() throws Exception {
		StreamListenerContainer container = startEcho(listener(Framing.EOF).build());
		String message = "everything\nuntil\r\nthe end";
		String output = socat(message, "-t", "5", "-", "UNIX-CONNECT:" + socketPath(container));
		assertThat(output).isEqualTo(message);
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1);
		assertThat(container.getStatistics().bytesReceived()).isEqualTo(message.length());
	}

	@Test
	void abstractNamespaceWithJunixsocketAndSocat() throws Exception {
		String name = "uds-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
		UdsListenerDefinition definition = TestListeners.abstractName(name).maxMessageSize(MAX).build();
		StreamListenerContainer container = startEcho(definition);
		assertThat(container.getSource().socketFile()).isNull();
		try (LineClient client = connect(container)) {
			assertThat(client.request("over the abstract namespace")).isEqualTo("over the abstract namespace");
			assertThat(client.request("twice")).isEqualTo("twice");
		}
		String output = socat("from socat\nagain\n", "-t", "5", "-", "ABSTRACT-CONNECT:" + name);
		assertThat(output).isEqualTo("from socat\nagain\n");
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(4);
		try (var entries = Files.list(this.dir)) {
			assertThat(entries.filter((entry) -> entry.getFileName().toString().endsWith(".sock"))).isEmpty();
		}
	}

	private TestListeners listener(Framing framing) {
		return TestListeners.at(this.dir.resolve("f.sock")).framing(framing).maxMessageSize(MAX);
	}

	private StreamListenerContainer startEcho(UdsListenerDefinition definition) {
		StreamListenerContainer container = new StreamListenerContainer(definition, (payload, session) -> EncodedReply.of(payload),
				Duration.ofSeconds(1));
		container.start();
		this.containers.add(container);
		return container;
	}

	private static String socketPath(StreamListenerContainer container) {
		return String.valueOf(container.getDefinition().udsAddress().path());
	}

	private static LineClient connect(StreamListenerContainer container) throws IOException {
		LineClient client = LineClient.connect(container.getDefinition().udsAddress());
		client.socket().setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
		return client;
	}

	/** Sends one frame; with eof framing, that ends the client's output. */
	private static void send(LineClient client, Framing framing, byte[] payload) throws IOException {
		client.write(frame(framing, payload));
		if (framing == Framing.EOF) {
			client.shutdownOutput();
		}
	}

	/** Sends one frame and expects exactly its echo (and, for eof framing, the server's close). */
	private static void exchange(LineClient client, Framing framing, byte[] payload) throws IOException {
		send(client, framing, payload);
		byte[] expected = frame(framing, payload);
		InputStream input = client.input();
		assertThat(input.readNBytes(expected.length)).as("echo of %d bytes", payload.length).isEqualTo(expected);
		if (framing == Framing.EOF) {
			assertThat(input.read()).as("close after the eof reply").isEqualTo(-1);
		}
	}

	/**
	 * The server answered with an error reply, in the connection's framing, and closed.
	 * @return the error reply's payload (without its framing)
	 */
	private static String assertClosedByServer(LineClient client) throws IOException {
		java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
		byte[] buffer = new byte[1024];
		int read;
		while ((read = client.input().read(buffer)) != -1) {
			received.write(buffer, 0, read);
		}
		String text = received.toString(StandardCharsets.UTF_8);
		assertThat(text).as("error reply, then end of stream").contains("{\"error\":\"message-too-large\",\"message\":\"");
		return text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1);
	}

	private String socat(String input, String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(RequiredTools.require("socat"));
		command.addAll(List.of(arguments));
		int id = processFiles.incrementAndGet();
		Path stdin = Files.writeString(this.dir.resolve("in" + id), input);
		Path stdout = this.dir.resolve("out" + id);
		Path stderr = this.dir.resolve("err" + id);
		Process process = new ProcessBuilder(command).redirectInput(stdin.toFile())
			.redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile())
			.start();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail("socat did not finish: " + command);
		}
		assertThat(process.exitValue()).as("socat exit status; stderr: %s", Files.readString(stderr)).isZero();
		return Files.readString(stdout);
	}

	/** Awaits a counter the server updates just after the client sees the outcome. */
	private static ConditionFactory waiting() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

}
