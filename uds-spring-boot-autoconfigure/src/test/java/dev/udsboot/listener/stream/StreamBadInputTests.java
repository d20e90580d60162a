package dev.udsboot.listener.stream;

import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.TestListeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and abuse over real sockets: each gets a clear outcome and a counter, and leaves the
 * listener and its other connections serving.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamBadInputTests {

	private static final int MAX = 100;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final UdsMessageListener ECHO = (payload, session) -> EncodedReply.of(payload);

	@TempDir
	Path dir;

	private final List<StreamListenerContainer> containers = new ArrayList<>();

	@AfterEach
	void closeContainers() {
		this.containers.forEach(StreamListenerContainer::close);
	}

	@Test
	void oversizedFrameClosesOnlyItsConnection(CapturedOutput output) throws IOException {
		StreamListenerContainer container = start(listener().build(), ECHO);
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient other = connect(container); LineClient bad = connect(container)) {
			assertThat(other.request("before")).isEqualTo("before");
			bad.writeLine("x".repeat(50 * MAX));
			assertThat(bad.readLine()).startsWith("{\"error\":\"message-too-large\",\"message\":\"")
				.contains("max-message-size " + MAX);
			assertClosedByServer(bad);
			waiting().until(statistics::oversizedFrames, (count) -> count == 1);
			assertThat(other.request("after")).isEqualTo("after");
		}
		assertThat(statistics.messagesReceived()).isEqualTo(2);
		assertThat(statistics.malformedFrames() + statistics.truncatedFrames() + statistics.handlerErrors()).isZero();
		assertStillServing(container);
		assertThat(output).contains("Closing connection", "listener 'test'", "frame larger than max-message-size " + MAX);
	}

	@Test
	void stxEtxWithoutStxIsMalformedAndClosesOnlyItsConnection(CapturedOutput output) throws IOException {
		List<String> handled = Collections.synchronizedList(new ArrayList<>());
		StreamListenerContainer container = start(listener().framing(Framing.STX_ETX).build(), recording(handled));
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient other = connect(container); LineClient bad = connect(container)) {
			other.write(ascii("\u0002before\u0003"));
			assertThat(other.input().readNBytes(8)).isEqualTo(ascii("\u0002before\u0003"));
			bad.write(ascii("garbage\u0003"));
			String errorReply = new String(bad.input().readNBytes(200), StandardCharsets.US_ASCII);
			assertThat(errorReply).startsWith("\u0002{\"error\":\"malformed-frame\",").endsWith("}\u0003");
			waiting().until(statistics::malformedFrames, (count) -> count == 1);
			other.write(ascii("\u0002after\u0003"));
			assertThat(other.input().readNBytes(7)).isEqualTo(ascii("\u0002after\u0003"));
		}
		assertThat(handled).containsExactly("before", "after");
		assertThat(statistics.oversizedFrames() + statistics.truncatedFrames() + statistics.handlerErrors()).isZero();
		assertThat(output).contains("not a valid stx-etx frame");
	}

	static List<Arguments> halfFrames() {
		return List.of(Arguments.of(Framing.LINE, ascii("no line feed")), Arguments.of(Framing.CRLF, ascii("only cr\r")),
				Arguments.of(Framing.LENGTH_PREFIX, new byte[] { 0, 0, 0, 20, 'h', 'a', 'l', 'f' }),
				Arguments.of(Framing.LENGTH_PREFIX, new byte[] { 0, 0 }), Arguments.of(Framing.NULL, ascii("no nul")),
				Arguments.of(Framing.STX_ETX, ascii("\u0002no etx")));
	}

	@ParameterizedTest(name = "{0} {index}")
	@MethodSource("halfFrames")
	void halfAFrameThenDisconnectIsTruncatedAndNeverHandled(Framing framing, byte[] half, CapturedOutput output) throws IOException {
		List<String> handled = Collections.synchronizedList(new ArrayList<>());
		StreamListenerContainer container = start(listener().framing(framing).build(), recording(handled));
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient bad = connect(container)) {
			bad.write(half);
		}
		waiting().until(statistics::truncatedFrames, (count) -> count == 1);
		waiting().until(container::getActiveConnections, (active) -> active == 0);
		assertThat(handled).isEmpty();
		assertThat(statistics.messagesReceived()).isZero();
		assertThat(statistics.oversizedFrames() + statistics.malformedFrames() + statistics.handlerErrors()).isZero();
		assertThat(container.isRunning()).isTrue();
		assertThat(output).contains("connection closed in the middle of a");
	}

	@Test
	void halfALineThenDisconnectLeavesOtherConnectionsServed() throws IOException {
		List<String> handled = Collections.synchronizedList(new ArrayList<>());
		StreamListenerContainer container = start(listener().build(), recording(handled));
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient other = connect(container)) {
			assertThat(other.request("before")).isEqualTo("before");
			try (LineClient bad = connect(container)) {
				bad.write(ascii("complete\nhalf"));
				assertThat(bad.readLine()).isEqualTo("complete");
			}
			waiting().until(statistics::truncatedFrames, (count) -> count == 1);
			assertThat(other.request("after")).isEqualTo("after");
		}
		assertThat(handled).containsExactly("before", "complete", "after");
	}

	@Test
	void idleConnectionIsClosedByTheServerWhileAnActiveOneIsServed(CapturedOutput output) throws Exception {
		StreamListenerContainer container = start(listener().idleTimeout(Duration.ofMillis(300)).build(), ECHO);
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient active = connect(container); LineClient idle = connect(container)) {
			long connected = System.nanoTime();
			CompletableFuture<Integer> idleRead = CompletableFuture.supplyAsync(() -> {
				try {
					return idle.input().read();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			// requests well inside the timeout keep the active connection open
			int[] requests = { 0 };
			await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
				String request = "ping " + requests[0]++;
				assertThat(active.request(request)).isEqualTo(request);
				return idleRead.isDone();
			});
			// counted before the server closes, and the active client was just served
			assertThat(statistics.idleTimeouts()).isEqualTo(1);
			assertThat(active.request("after")).isEqualTo("after");
			assertThat(idleRead.get()).as("idle client's read").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
			assertThat(requests[0]).isGreaterThan(1);
		}
		assertThat(statistics.handlerErrors() + statistics.truncatedFrames()).isZero();
		assertThat(output).doesNotContain("WARN", "ERROR");
	}

	@Test
	void connectionsBeyondMaxConnectionsAreClosedAtOnce(CapturedOutput output) throws IOException {
		StreamListenerContainer container = start(listener().maxConnections(3).build(), ECHO);
		UdsListenerStatistics statistics = container.getStatistics();
		List<LineClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				clients.add(connect(container));
			}
			for (LineClient extra : clients.subList(3, 5)) {
				extra.socket().setSoTimeout(2000);
				assertEndOfStream(extra);
			}
			waiting().until(statistics::connectionsRefused, (count) -> count == 2);
			for (int i = 0; i < 3; i++) {
				assertThat(clients.get(i).request("served " + i)).isEqualTo("served " + i);
			}
			assertThat(container.getActiveConnections()).isEqualTo(3);
			clients.get(0).close();
			waiting().until(container::getActiveConnections, (active) -> active == 2);
			LineClient replacement = connect(container);
			clients.add(replacement);
			assertThat(replacement.request("replacement")).isEqualTo("replacement");
			assertThat(clients.get(1).request("still")).isEqualTo("still");
			assertThat(container.getActiveConnections()).isEqualTo(3);
		}
		finally {
			for (LineClient client : clients) {
				client.close();
			}
		}
		assertThat(statistics.connectionsRefused()).isEqualTo(2);
		assertThat(statistics.connectionsOpened()).isEqualTo(4);
		assertThat(output).contains("max-connections 3 reached");
	}

	@Test
	void handlerFailureClosesOnlyItsConnection() throws IOException {
		UdsMessageListener failing = (payload, session) -> {
			String text = new String(payload, StandardCharsets.UTF_8);
			if (text.equals("fail")) {
				throw new UdsListenerExecutionFailedException("test", "boom", new RuntimeException());
			}
			if (text.equals("crash")) {
				throw new IllegalStateException("unexpected");
			}
			return EncodedReply.of(payload);
		};
		StreamListenerContainer container = start(listener().build(), failing);
		UdsListenerStatistics statistics = container.getStatistics();
		try (LineClient other = connect(container)) {
			assertThat(other.request("before")).isEqualTo("before");
			try (LineClient bad = connect(container)) {
				assertThat(bad.request("fine")).isEqualTo("fine");
				assertThat(bad.request("fail")).as("end of stream").isNull();
			}
			waiting().until(statistics::handlerErrors, (count) -> count == 1);
			assertThat(other.request("between")).isEqualTo("between");
			try (LineClient pipelined = connect(container)) {
				// the reply already due is written; nothing after the failure is handled
				pipelined.write(ascii("first\ncrash\nnever\n"));
				assertThat(pipelined.readLine()).isEqualTo("first");
				assertThat(pipelined.readLine()).as("end of stream").isNull();
			}
			waiting().until(statistics::handlerErrors, (count) -> count == 2);
			assertThat(other.request("after")).isEqualTo("after");
		}
		// before, fine, fail, between, first, crash, after
		assertThat(statistics.messagesReceived()).isEqualTo(7);
		// counted once written: the client may have the last reply first
		waiting().until(statistics::messagesSent, (sent) -> sent == 5);
		assertStillServing(container);
	}

	@Test
	void floodOfShortConnectionsDoesNotDisturbAnActiveClient() throws Exception {
		StreamListenerContainer container = start(listener().build(), ECHO);
		UdsListenerStatistics statistics = container.getStatistics();
		int flood = 200;
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try (LineClient active = connect(container)) {
			List<Future<?>> floods = new ArrayList<>();
			for (int i = 0; i < flood; i++) {
				boolean writes = (i % 2 == 0);
				floods.add(pool.submit(() -> {
					try (LineClient client = connect(container)) {
						if (writes) {
							// gone before the reply: the server's write fails on that connection only
							client.writeLine("hit and run");
						}
					}
					return null;
				}));
			}
			int replies = 0;
			while (!floods.stream().allMatch(Future::isDone)) {
				String request = "request " + replies;
				assertThat(active.request(request)).isEqualTo(request);
				replies++;
			}
			for (Future<?> future : floods) {
				future.get(30, TimeUnit.SECONDS);
			}
			assertThat(active.request("after the flood")).isEqualTo("after the flood");
			waiting().until(statistics::connectionsOpened, (opened) -> opened == flood + 1);
			waiting().until(container::getActiveConnections, (open) -> open == 1);
			assertThat(replies).isPositive();
		}
		finally {
			pool.shutdownNow();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(statistics.connectionsRefused()).isZero();
		assertThat(statistics.handlerErrors()).isZero();
		assertThat(statistics.oversizedFrames() + statistics.malformedFrames() + statistics.truncatedFrames()).isZero();
	}

	@Test
	void thousandConnectionsLeakNoDescriptorsOrThreads() throws IOException {
		int threadsBefore = ProcessResources.liveThreads();
		int descriptorsBefore = ProcessResources.openDescriptors();
		StreamListenerContainer container = new StreamListenerContainer(listener().build(), ECHO,
				Duration.ofMillis(200));
		container.start();
		this.containers.add(container);
		try (LineClient warmUp = connect(container)) {
			assertThat(warmUp.request("warm up")).isEqualTo("warm up");
		}
		waiting().until(container::getActiveConnections, (open) -> open == 0);
		int descriptorsRunning = ProcessResources.openDescriptors();
		for (int i = 0; i < 1000; i++) {
			try (LineClient client = connect(container)) {
				String request = "request " + i;
				assertThat(client.request(request)).isEqualTo(request);
			}
		}
		ProcessResources.awaitAtMost(descriptorsRunning, ProcessResources::openDescriptors, Duration.ofSeconds(30));
		// polled on this thread: a polling thread of Awaitility's own would be counted. While it runs:
		// the acceptor, and the socket file watcher's thread with the JDK's inotify poller behind it
		await().pollInSameThread()
			.atMost(Duration.ofSeconds(30))
			.until(ProcessResources::liveThreads, (threads) -> threads <= threadsBefore + 3);
		waiting().until(container::getActiveConnections, (open) -> open == 0);
		assertThat(container.getStatistics().connectionsOpened()).isEqualTo(1001);
		assertThat(container.getStatistics().messagesReceived()).isEqualTo(1001);
		container.stop();
		await().pollInSameThread()
			.atMost(Duration.ofSeconds(30))
			.until(ProcessResources::liveThreads, (threads) -> threads <= threadsBefore);
		ProcessResources.awaitAtMost(descriptorsBefore, ProcessResources::openDescriptors, Duration.ofSeconds(30));
	}

	@Test
	void startingAndStoppingLeaksNoDescriptors() throws IOException {
		cycle();
		int descriptorsBefore = ProcessResources.openDescriptors();
		for (int i = 0; i < 10; i++) {
			cycle();
		}
		// junixsocket leaks a descriptor for each server socket closed under a blocked accept():
		// stopping must get the acceptor out of accept() first
		ProcessResources.awaitAtMost(descriptorsBefore, ProcessResources::openDescriptors, Duration.ofSeconds(10));
	}

	private void cycle() throws IOException {
		StreamListenerContainer container = new StreamListenerContainer(listener().build(), ECHO,
				Duration.ofMillis(200));
		container.start();
		try (LineClient client = connect(container)) {
			assertThat(client.request("cycle")).isEqualTo("cycle");
		}
		finally {
			container.stop();
		}
		assertThat(container.isRunning()).isFalse();
	}

	private TestListeners listener() {
		return TestListeners.at(this.dir.resolve("b.sock")).maxMessageSize(MAX);
	}

	private StreamListenerContainer start(UdsListenerDefinition definition, UdsMessageListener listener) {
		StreamListenerContainer container = new StreamListenerContainer(definition, listener, Duration.ofSeconds(1));
		container.start();
		this.containers.add(container);
		return container;
	}

	private static UdsMessageListener recording(List<String> handled) {
		return (payload, session) -> {
			handled.add(new String(payload, StandardCharsets.UTF_8));
			return EncodedReply.of(payload);
		};
	}

	private static LineClient connect(StreamListenerContainer container) throws IOException {
		LineClient client = LineClient.connect(container.getDefinition().udsAddress());
		client.socket().setSoTimeout(5000);
		return client;
	}

	private static void assertStillServing(StreamListenerContainer container) throws IOException {
		assertThat(container.isRunning()).isTrue();
		try (LineClient client = connect(container)) {
			assertThat(client.request("still serving")).isEqualTo("still serving");
		}
	}

	/** The server closed the connection and had read everything the client sent. */
	private static void assertEndOfStream(LineClient client) throws IOException {
		assertThat(client.input().read()).as("end of stream").isEqualTo(-1);
	}

	/**
	 * The server closed the connection. Closing with input still unread (the rest of a frame too
	 * large to read) makes Linux report a reset to the client instead of an end of stream.
	 */
	private static void assertClosedByServer(LineClient client) throws IOException {
		int read;
		try {
			read = client.input().read();
		}
		catch (SocketException ex) {
			assertThat(ex).hasMessageContaining("reset");
			return;
		}
		assertThat(read).as("end of stream").isEqualTo(-1);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Awaits a counter the server updates just after the client sees the outcome. */
	private static ConditionFactory waiting() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
	}

}
