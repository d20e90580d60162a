package dev.udsboot.client;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration;
import dev.udsboot.framing.Framing;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.ForeignServers;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link UdsTemplate} over real sockets: against this starter's listeners, against socat and a
 * python3 server that checks what it received, every failure with its exception type and the
 * connection discarded, and 32 threads sharing one template.
 */
class UdsTemplateTests {

	@TempDir
	Path dir;

	private final List<Process> servers = new ArrayList<>();

	@AfterEach
	void stopServers() {
		this.servers.forEach(ForeignServers::killWithSigkill);
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					UdsClientAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues("uds.listeners.echo.path=" + this.dir.resolve("echo.sock"),
					"uds.listeners.json.path=" + this.dir.resolve("json.sock"),
					"uds.listeners.nul.path=" + this.dir.resolve("nul.sock"), "uds.listeners.nul.framing=null",
					"uds.listeners.events.path=" + this.dir.resolve("events.sock"),
					"uds.listeners.events.type=datagram", "uds.listeners.eof.path=" + this.dir.resolve("eof.sock"),
					"uds.listeners.eof.framing=eof", "uds.listeners.chunk.path=" + this.dir.resolve("chunk.sock"),
					"uds.listeners.chunk.framing=none", "uds.listeners.quiet.path=" + this.dir.resolve("quiet.sock"),
					"uds.listeners.quiet.type=datagram", "uds.client.timeout=5s");
	}

	@Test
	void listenerTemplatesConvertLikeHandlers() {
		runner().run((context) -> {
			UdsTemplates templates = context.getBean(UdsTemplates.class);
			UdsTemplate echo = templates.forListener("echo");
			assertThat(echo.sendAndReceive("grüße", String.class)).isEqualTo("grüße");
			assertThat(echo.sendAndReceive("raw".getBytes(StandardCharsets.UTF_8), byte[].class))
				.isEqualTo("raw".getBytes(StandardCharsets.UTF_8));
			Answer answer = templates.forListener("json").sendAndReceive(new Question("ada", 36), Answer.class);
			assertThat(answer).isEqualTo(new Answer("hello ada", 37));
			// the listener's own framing: a NUL-terminated message may contain line feeds
			assertThat(templates.forListener("nul").sendAndReceive("two\nlines", String.class)).isEqualTo("two\nlines");
			assertThat(templates.forListener("events").getType()).isEqualTo(UdsListenerType.DATAGRAM);
			assertThat(templates.forListener("events").sendAndReceive("ping", String.class)).isEqualTo("event ping");
			assertThatIllegalArgumentException().isThrownBy(() -> templates.forListener("nope"))
				.withMessageContaining("uds.listeners.nope");
		});
	}

	@Test
	void oneWaySendsNeverAnswerARequest() {
		runner().run((context) -> {
			UdsTemplate echo = context.getBean(UdsTemplates.class).forListener("echo");
			// the echo server answers one-way sends too: those replies stay on one-way connections
			for (int i = 0; i < 20; i++) {
				echo.send("one-way " + i);
				assertThat(echo.sendAndReceive("request " + i, String.class)).isEqualTo("request " + i);
			}
		});
	}

	@Test
	void requestThatCannotBeFramedIsRefusedBeforeSending() {
		runner().run((context) -> {
			UdsTemplate echo = context.getBean(UdsTemplates.class).forListener("echo");
			assertThatIllegalArgumentException().isThrownBy(() -> echo.sendAndReceive("a\nb", String.class))
				.withMessageContaining("line framing's terminator at byte 1");
			assertThat(echo.sendAndReceive("after", String.class)).isEqualTo("after");
		});
	}

	@Test
	void thirtyTwoThreadsShareOneTemplate() throws Exception {
		runner().run((context) -> {
			UdsTemplate echo = context.getBean(UdsTemplates.class).forListener("echo");
			ExecutorService threads = Executors.newFixedThreadPool(32);
			try {
				List<Future<Integer>> results = new ArrayList<>();
				for (int t = 0; t < 32; t++) {
					int thread = t;
					results.add(threads.submit(() -> {
						int matched = 0;
						for (int i = 0; i < 1000; i++) {
							String request = "thread " + thread + " request " + i;
							if (request.equals(echo.sendAndReceive(request, String.class))) {
								matched++;
							}
						}
						return matched;
					}));
				}
				for (Future<Integer> result : results) {
					assertThat(result.get()).isEqualTo(1000);
				}
			}
			finally {
				threads.shutdownNow();
			}
		});
	}

	@Test
	void socatEchoPooledAndOneShot() throws IOException {
		Path socket = this.dir.resolve("socat.sock");
		this.servers.add(ForeignServers.startSocatEcho(socket));
		for (UdsTemplateBuilder.Mode mode : UdsTemplateBuilder.Mode.values()) {
			try (UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(socket)).mode(mode).build()) {
				for (int i = 0; i < 5; i++) {
					assertThat(template.sendAndReceive("socat " + mode + " " + i, String.class))
						.isEqualTo("socat " + mode + " " + i);
				}
			}
		}
	}

	@Test
	void pythonServerSeesBytesAndDescriptorsAndConnectionsAreReused() throws Exception {
		Path socket = startPython("check");
		Path file = Files.writeString(this.dir.resolve("passed.txt"), "from-java\nmore");
		try (UdsTemplate pooled = UdsTemplate.builder(UdsAddress.ofPath(socket)).build();
				FileInputStream passed = new FileInputStream(file.toFile())) {
			try (UdsResponse<String> response = pooled.exchange("héllo", List.of(passed.getFD()), String.class)) {
				// six bytes in UTF-8, one descriptor, on the file the python server read through it
				assertThat(response.payload()).isEqualTo("conn=1 len=6 fds=1 fd0=from-java");
				assertThat(response.descriptors()).hasSize(1);
				assertThat(readFirstLine(response.descriptors().get(0))).isEqualTo("from-python");
			}
			assertThat(passed.getFD().valid()).as("the caller's descriptor is still the caller's").isTrue();
			for (int i = 0; i < 3; i++) {
				assertThat(pooled.sendAndReceive("again", String.class)).isEqualTo("conn=1 len=5 fds=0 fd0=");
			}
		}
		try (UdsTemplate oneShot = UdsTemplate.builder(UdsAddress.ofPath(socket))
			.mode(UdsTemplateBuilder.Mode.ONE_SHOT)
			.build()) {
			assertThat(oneShot.sendAndReceive("a", String.class)).startsWith("conn=2 ");
			assertThat(oneShot.sendAndReceive("b", String.class)).startsWith("conn=3 ");
		}
	}

	@Test
	void missingFileStaleFileAndUnknownAbstractName() throws Exception {
		try (UdsTemplate missing = UdsTemplate.builder(UdsAddress.ofPath(this.dir.resolve("none.sock"))).build()) {
			assertThatExceptionOfType(UdsSocketNotFoundException.class)
				.isThrownBy(() -> missing.sendAndReceive("x", String.class))
				.withMessageContaining("none.sock")
				.withMessageContaining("does not exist");
		}
		Path stale = this.dir.resolve("stale.sock");
		AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(org.newsclub.net.unix.AFUNIXSocketAddress.of(stale));
		server.setDeleteOnClose(false);
		server.close();
		assertThat(stale).exists();
		try (UdsTemplate refused = UdsTemplate.builder(UdsAddress.ofPath(stale)).build()) {
			assertThatExceptionOfType(UdsConnectionRefusedException.class)
				.isThrownBy(() -> refused.sendAndReceive("x", String.class))
				.withMessageContaining("refused");
		}
		try (UdsTemplate nobody = UdsTemplate.builder(UdsAddress.ofAbstractName("uds-nobody-" + System.nanoTime()))
			.build()) {
			assertThatExceptionOfType(UdsConnectionRefusedException.class)
				.isThrownBy(() -> nobody.sendAndReceive("x", String.class));
		}
	}

	@Test
	void failuresOfAnOpenConnectionDiscardIt() throws Exception {
		int descriptorsBefore = ProcessResources.openDescriptors();
		try (UdsTemplate half = template(startPython("half"), 5000)) {
			assertThatExceptionOfType(UdsConnectionClosedException.class)
				.isThrownBy(() -> half.sendAndReceive("x", String.class))
				.withMessageContaining("in the middle of a reply");
			assertThat(idle(half)).isZero();
		}
		try (UdsTemplate closing = template(startPython("close"), 5000)) {
			assertThatExceptionOfType(UdsConnectionClosedException.class)
				.isThrownBy(() -> closing.sendAndReceive("x", String.class))
				.withMessageContaining("without replying");
			assertThat(idle(closing)).isZero();
		}
		try (UdsTemplate silent = template(startPython("silent"), 300)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(UdsClientTimeoutException.class)
				.isThrownBy(() -> silent.sendAndReceive("x", String.class))
				.withMessageContaining("within 300 ms");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(idle(silent)).isZero();
		}
		try (UdsTemplate big = UdsTemplate.builder(UdsAddress.ofPath(startPython("big", "5000")))
			.maxMessageSize(4096)
			.build()) {
			assertThatExceptionOfType(UdsReplyTooLargeException.class)
				.isThrownBy(() -> big.sendAndReceive("x", String.class))
				.withMessageContaining("max-message-size 4096");
			assertThat(idle(big)).isZero();
		}
		stopServers();
		this.servers.clear();
		ProcessResources.awaitAtMost(descriptorsBefore, ProcessResources::openDescriptors, Duration.ofSeconds(5));
	}

	@Test
	void datagramsToPythonWithDescriptorsFromRandomAndFixedReplyAddresses() throws Exception {
		Path socket = startPython("dgram");
		Path file = Files.writeString(this.dir.resolve("passed.txt"), "datagram-file\n");
		Path replyPath = this.dir.resolve("reply.sock");
		for (UdsAddress reply : new UdsAddress[] { null, UdsAddress.ofPath(replyPath) }) {
			UdsTemplateBuilder builder = UdsTemplate.builder(UdsAddress.ofPath(socket)).type(UdsListenerType.DATAGRAM);
			if (reply != null) {
				builder.replyAddress(reply);
			}
			try (UdsTemplate template = builder.build(); FileInputStream passed = new FileInputStream(file.toFile())) {
				try (UdsResponse<String> response = template.exchange("dgram", List.of(passed.getFD()),
						String.class)) {
					assertThat(response.payload()).isEqualTo("conn=0 len=5 fds=1 fd0=datagram-file");
					assertThat(readFirstLine(response.descriptors().get(0))).isEqualTo("from-python");
				}
				assertThat(template.sendAndReceive("again", String.class)).isEqualTo("conn=0 len=5 fds=0 fd0=");
			}
			assertThat(replyPath).as("the reply socket file is removed with the template").doesNotExist();
		}
	}

	@Test
	void eofAndNoneFramingsAreOneShot() {
		runner().run((context) -> {
			UdsTemplates templates = context.getBean(UdsTemplates.class);
			for (int i = 0; i < 3; i++) {
				// eof: the request ends when the client shuts its side down, so every one needs a connection
				assertThat(templates.forListener("eof").sendAndReceive("a\nmulti-line\nmessage", String.class))
					.isEqualTo("eof 20");
				assertThat(templates.forListener("chunk").sendAndReceive("piece " + i, String.class))
					.isEqualTo("chunk piece " + i);
			}
			assertThat(idle(templates.forListener("eof"))).isZero();
			assertThat(idle(templates.forListener("chunk"))).isZero();
		});
	}

	@Test
	void clientPropertiesAreBoundAndChecked() {
		runner().withPropertyValues("uds.client.timeout=750ms", "uds.client.max-connections=3").run((context) -> {
			UdsTemplateBuilder first = context.getBean(UdsTemplateBuilder.class);
			assertThat(first).isNotSameAs(context.getBean(UdsTemplateBuilder.class));
			try (UdsTemplate template = first.target(this.dir.resolve("echo.sock")).build()) {
				assertThat(template.sendAndReceive("bound", String.class)).isEqualTo("bound");
				StreamConnectionPool pool = ((StreamTransport) template.transport()).pool();
				assertThat(pool.toString()).contains("3 connections").contains("750 ms");
			}
		});
		runner().withPropertyValues("uds.client.max-connections=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("uds.client.max-connections must be at least 1"));
	}

	@Test
	void datagramTimeoutMissingAndRefused() throws Exception {
		runner().withPropertyValues("uds.client.timeout=300ms").run((context) -> {
			UdsTemplate quiet = context.getBean(UdsTemplates.class).forListener("quiet");
			assertThatExceptionOfType(UdsClientTimeoutException.class)
				.isThrownBy(() -> quiet.sendAndReceive("anyone?", String.class))
				.withMessageContaining("within 300 ms");
			quiet.send("one-way is fine");
		});
		try (UdsTemplate missing = UdsTemplate.builder(UdsAddress.ofPath(this.dir.resolve("none.sock")))
			.type(UdsListenerType.DATAGRAM)
			.build()) {
			assertThatExceptionOfType(UdsSocketNotFoundException.class)
				.isThrownBy(() -> missing.sendAndReceive("x", String.class));
		}
		try (UdsTemplate nobody = UdsTemplate.builder(UdsAddress.ofAbstractName("uds-nobody-" + System.nanoTime()))
			.type(UdsListenerType.DATAGRAM)
			.build()) {
			assertThatExceptionOfType(UdsConnectionRefusedException.class).isThrownBy(() -> nobody.send("x"));
		}
	}

	@Test
	void aTricklingReplyIsTimedAsAWhole() throws Exception {
		try (UdsTemplate trickle = template(startPython("trickle"), 500)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(UdsClientTimeoutException.class)
				.isThrownBy(() -> trickle.sendAndReceive("x", String.class));
			// seven bytes 150 ms apart would take a second; each read alone is well within 500 ms
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
			assertThat(idle(trickle)).isZero();
		}
	}

	@Test
	void anUnaskedSecondReplyIsNeverTakenForTheNextOne() throws Exception {
		try (UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(startPython("double")))
			.validateAfterInactivity(Duration.ZERO)
			.build()) {
			for (int i = 0; i < 5; i++) {
				assertThat(template.sendAndReceive("request " + i, String.class)).isEqualTo("request " + i);
				Thread.sleep(100);
			}
		}
	}

	@Test
	void closingATemplateReleasesThoseWaitingForAConnection() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(startPython("silent")))
				.maxConnections(1)
				.timeout(Duration.ofSeconds(3))
				.build();
			// the only connection waits for a reply that never comes; the second request waits for it
			Future<?> holder = threads.submit(() -> template.sendAndReceive("held", String.class));
			Thread.sleep(300);
			Future<?> waiter = threads.submit(() -> template.sendAndReceive("waiting", String.class));
			Thread.sleep(300);
			long closed = System.nanoTime();
			template.close();
			assertThat(catchThrowable(() -> waiter.get(2, java.util.concurrent.TimeUnit.SECONDS)))
				.hasCauseInstanceOf(IllegalStateException.class)
				.hasMessageContaining("is closed");
			assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(1));
			assertThat(catchThrowable(() -> holder.get(5, java.util.concurrent.TimeUnit.SECONDS)))
				.hasCauseInstanceOf(UdsClientTimeoutException.class);
			assertThat(idle(template)).isZero();
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void anIdleConnectionIsCheckedQuicklyAndThenReused() throws Exception {
		try (UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(startPython("check")))
			.validateAfterInactivity(Duration.ofMillis(100))
			.timeout(Duration.ofSeconds(10))
			.build()) {
			assertThat(template.sendAndReceive("first", String.class)).startsWith("conn=1 ");
			for (int i = 0; i < 3; i++) {
				Thread.sleep(300);
				long start = System.nanoTime();
				// checked for 1 ms, not for what was left of the last reply's 10 s deadline
				assertThat(template.sendAndReceive("after a pause", String.class)).startsWith("conn=1 ");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			}
		}
	}

	@Test
	void replyDescriptorsThatNobodyTakesAreClosed() throws Exception {
		Path socket = startPython("check");
		try (UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(socket)).build()) {
			template.sendAndReceive("warm-up", String.class);
			int before = ProcessResources.openDescriptors();
			for (int i = 0; i < 50; i++) {
				assertThat(template.sendAndReceive("x", String.class)).startsWith("conn=1 ");
			}
			assertThat(ProcessResources.openDescriptors()).isLessThanOrEqualTo(before);
		}
	}

	@Test
	void fixedAbstractReplyAddress() {
		runner().run((context) -> {
			String name = "uds-test-reply-" + System.nanoTime();
			try (UdsTemplate template = UdsTemplate.builder(UdsAddress.ofPath(this.dir.resolve("events.sock")))
				.type(UdsListenerType.DATAGRAM)
				.replyAddress(UdsAddress.ofAbstractName(name))
				.build()) {
				for (int i = 0; i < 5; i++) {
					assertThat(template.sendAndReceive("fixed " + i, String.class)).isEqualTo("event fixed " + i);
				}
			}
		});
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> UdsTemplate.builder(UdsAddress.ofPath(this.dir.resolve("x.sock")))
				.replyAddress(UdsAddress.ofAbstractName("r"))
				.build())
			.withMessageContaining("datagram");
	}

	private UdsTemplate template(Path socket, long timeoutMillis) {
		return UdsTemplate.builder(UdsAddress.ofPath(socket)).timeout(Duration.ofMillis(timeoutMillis)).build();
	}

	private static int idle(UdsTemplate template) {
		return ((StreamTransport) template.transport()).pool().idleCount();
	}

	private Path startPython(String mode, String... args) throws IOException {
		Path socket = this.dir.resolve(mode + ".sock");
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("python3"), script().toString(),
				socket.toString(), mode));
		command.addAll(List.of(args));
		Process python = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		this.servers.add(python);
		BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
		assertThat(out.readLine()).as("python server for " + mode).isEqualTo("READY");
		return socket;
	}

	private Path script() throws IOException {
		Path script = this.dir.resolve("template-test-server.py");
		if (!Files.exists(script)) {
			try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/template-test-server.py"))) {
				Files.copy(in, script);
			}
		}
		return script;
	}

	private static String readFirstLine(FileDescriptor descriptor) throws IOException {
		FileInputStream in = new FileInputStream(descriptor);
		in.getChannel().position(0);
		return new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")[0];
	}

	record Question(String name, int age) {
	}

	record Answer(String greeting, int nextAge) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Handlers.Endpoints endpoints() {
			return new Endpoints();
		}

		static class Endpoints {

			@UdsHandler("echo")
			String echo(String line) {
				return line;
			}

			@UdsHandler("nul")
			String nul(String message) {
				return message;
			}

			@UdsHandler("json")
			Answer json(Question question) {
				return new Answer("hello " + question.name(), question.age() + 1);
			}

			@UdsHandler("events")
			String event(String datagram) {
				return "event " + datagram;
			}

			@UdsHandler("eof")
			String eof(String message) {
				return "eof " + message.length();
			}

			@UdsHandler("chunk")
			String chunk(String message) {
				return "chunk " + message;
			}

			@UdsHandler("quiet")
			void quiet(String datagram) {
			}

		}

	}

}
