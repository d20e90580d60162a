package dev.udsboot.invocation;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.socket.ReceivedDescriptors;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Descriptors passed with SCM_RIGHTS by python3's {@code socket.send_fds}: the handler gets exactly
 * those of its message and can read them; too many, unused and orphaned ones are closed; none leak.
 */
class FileDescriptorPassingTests {

	/** Python helpers: send lines with descriptors open on pipes or files, print the reply lines. */
	private static final String PRELUDE = """
			import os, socket, sys, tempfile
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(10)
			s.connect(sys.argv[1])
			def pipe(text):
			    r, w = os.pipe()
			    os.write(w, text.encode())
			    os.close(w)
			    return r
			def file(text):
			    f = tempfile.TemporaryFile()
			    f.write(text.encode()); f.flush(); f.seek(0)
			    return os.dup(f.fileno())
			def lines(n):
			    f = s.makefile('rb')
			    out = []
			    for _ in range(n):
			        try:
			            line = f.readline()
			        except ConnectionResetError:
			            line = b''
			        out.append(line.decode().rstrip('\\n') if line else '<closed>')
			    print('|'.join(out))
			""";

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues("uds.listeners.digest.path=" + this.dir.resolve("digest.sock"),
					"uds.listeners.digest.max-file-descriptors=253",
					"uds.listeners.limited.path=" + this.dir.resolve("limited.sock"),
					"uds.listeners.ignore.path=" + this.dir.resolve("ignore.sock"),
					"uds.listeners.reuse.path=" + this.dir.resolve("reuse.sock"),
					"uds.listeners.give.path=" + this.dir.resolve("give.sock"),
					"uds.listeners.push.path=" + this.dir.resolve("push.sock"),
					"uds.listeners.back.path=" + this.dir.resolve("back.sock"),
					"uds.listeners.keep.path=" + this.dir.resolve("keep.sock"),
					"uds.listeners.empty.path=" + this.dir.resolve("empty.sock"),
					"uds.listeners.empty.framing=none",
					"uds.listeners.badreply.path=" + this.dir.resolve("badreply.sock"),
					"uds.listeners.prefixed.path=" + this.dir.resolve("prefixed.sock"),
					"uds.listeners.prefixed.framing=length-prefix",
					"uds.listeners.closing.path=" + this.dir.resolve("closing.sock"));
	}

	@Test
	void handlerReadsPipesAndFilesPassedWithItsMessage() {
		runner().run((context) -> {
			String out = python("digest", """
					fds = [pipe('pipe-0'), pipe('pipe-1'), file('file-2')]
					socket.send_fds(s, [b'read\\n'], fds)
					for fd in fds: os.close(fd)
					lines(1)
					""");
			assertThat(out).isEqualTo("3:pipe-0,pipe-1,file-2");
			assertThat(statistics(context, "digest").descriptorsReceived()).isEqualTo(3);
		});
	}

	@Test
	void descriptorsBelongToTheMessageTheyWereSentWith() {
		runner().run((context) -> {
			String out = python("digest", """
					s.sendall(b'before\\n')
					fd = pipe('mine')
					socket.send_fds(s, [b'with\\n'], [fd]); os.close(fd)
					s.sendall(b'after\\n')
					fd = file('second')
					socket.send_fds(s, [b'again\\n'], [fd]); os.close(fd)
					lines(4)
					""");
			assertThat(out).isEqualTo("0:|1:mine|0:|1:second");
		});
	}

	@Test
	void tooManyDescriptorsAreClosedAndTheMessageRejected() {
		runner().run((context) -> {
			warmUp(context, "limited");
			int baseline = ProcessResources.openDescriptors();
			for (int count : new int[] { 17, 61, 250 }) {
				String out = python("limited", """
						fds = [os.open('/etc/hostname', os.O_RDONLY) for _ in range(%d)]
						socket.send_fds(s, [b'too many\\n'], fds)
						lines(2)
						""".formatted(count));
				assertThat(out).as("%d descriptors", count)
					.matches("\\{\"error\":\"too-many-descriptors\",\"message\":\".*max-file-descriptors 16.*\"\\}\\|<closed>");
			}
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(statistics(context, "limited").descriptorRejections()).isEqualTo(3);
			assertThat(statistics(context, "limited").messagesReceived()).isEqualTo(1);
			try (LineClient client = client(context, "limited")) {
				assertThat(client.request("still")).isEqualTo("0:");
			}
		});
	}

	@Test
	void descriptorsTrickledWithOneByteEachAreCappedAtTheLimit() {
		runner().run((context) -> {
			warmUp(context, "limited");
			int baseline = ProcessResources.openDescriptors();
			// each send is its own read: a frame that never ends, 10 descriptors at a time
			String out = python("limited", """
					fd = os.open('/etc/hostname', os.O_RDONLY)
					try:
					    for i in range(500):
					        socket.send_fds(s, [b'x'], [fd] * 10)
					except (BrokenPipeError, ConnectionResetError):
					    pass
					os.close(fd)
					lines(2)
					""");
			assertThat(out).matches("\\{\"error\":\"too-many-descriptors\",\"message\":\".*\"\\}\\|<closed>");
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(statistics(context, "limited").descriptorRejections()).isEqualTo(1);
			try (LineClient client = client(context, "limited")) {
				assertThat(client.request("still")).isEqualTo("0:");
			}
		});
	}

	@Test
	void descriptorsTravelWithLengthPrefixedFramesToo() {
		runner().run((context) -> {
			String out = python("prefixed", """
					import struct
					fds = [pipe('one'), pipe('two')]
					socket.send_fds(s, [struct.pack('>I', 4) + b'read'], fds)
					for fd in fds: os.close(fd)
					s.sendall(struct.pack('>I', 4) + b'none')
					f = s.makefile('rb')
					out = []
					for _ in range(2):
					    n = struct.unpack('>I', f.read(4))[0]
					    out.append(f.read(n).decode())
					print('|'.join(out))
					""");
			assertThat(out).isEqualTo("2:one,two|0:");
		});
	}

	@Test
	void aClientGoneRightAfterSendingDescriptorsLeavesNothingBehind() {
		runner().run((context) -> {
			warmUp(context, "digest");
			warmUp(context, "ignore");
			int baseline = ProcessResources.openDescriptors();
			for (String listener : new String[] { "digest", "ignore" }) {
				String out = python(listener, """
						for i in range(20):
						    fds = [pipe('gone'), file('gone')]
						    socket.send_fds(s, [b'complete\\n'], fds)
						    for fd in fds: os.close(fd)
						fds = [os.open('/etc/hostname', os.O_RDONLY) for _ in range(250)]
						socket.send_fds(s, [b'too many for the limit or for no parameter\\n'], fds)
						for fd in fds: os.close(fd)
						s.close()
						print('gone')
						""");
				assertThat(out).isEqualTo("gone");
			}
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(ProcessResources.openDescriptors()).isEqualTo(baseline);
			try (LineClient client = client(context, "digest")) {
				assertThat(client.request("still")).isEqualTo("0:");
			}
		});
	}

	@Test
	void descriptorsAreNeverLeftPendingByAReplyThatWasNotWritten() {
		runner().run((context) -> {
			// an empty message in none framing writes nothing: the descriptors have nothing to travel with
			String empty = python("empty", """
					s.sendall(b'x')
					msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
					print(repr(msg), len(fds))
					""");
			assertThat(empty).isEqualTo("b'' 0");
			assertThat(statistics(context, "empty").handlerErrors()).isEqualTo(1);
			// a reply with the terminator in it is refused before its descriptors are set: the error
			// handler's reply must not carry them
			String refused = python("badreply", """
					s.sendall(b'x\\n')
					msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
					print(msg.decode().strip(), len(fds))
					""");
			assertThat(refused).isEqualTo("error 0");
		});
	}

	@Test
	void closingTheConnectionDoesNotCloseTheDescriptorsTheHandlerIsUsing() {
		runner().run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			warmUp(context, "digest");
			int baseline = ProcessResources.openDescriptors();
			String out = python("closing", """
					fd = pipe('still readable')
					socket.send_fds(s, [b'close first\\n'], [fd]); os.close(fd)
					lines(1)
					""");
			assertThat(out).isEqualTo("<closed>");
			// junixsocket closes the descriptors it received when their socket closes, unless the
			// starter has taken them over
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !handlers.readAfterClose.isEmpty());
			assertThat(handlers.readAfterClose).containsExactly("still readable");
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		});
	}

	@Test
	void upToTheKernelsLimitArriveInOneMessage() {
		runner().run((context) -> {
			String out = python("digest", """
					fds = [pipe(str(i)) for i in range(250)]
					socket.send_fds(s, [b'many\\n'], fds)
					for fd in fds: os.close(fd)
					lines(1)
					""");
			assertThat(out).startsWith("250:0,1,2,").endsWith(",248,249");
			assertThat(statistics(context, "digest").descriptorsReceived()).isEqualTo(250);
		});
	}

	@Test
	void descriptorsNoParameterTakesAreDiscardedAndNoneLeak() {
		runner().run((context) -> {
			warmUp(context, "ignore");
			warmUp(context, "digest");
			int baseline = ProcessResources.openDescriptors();
			String ignored = python("ignore", """
					for i in range(200):
					    fds = [pipe('x'), pipe('y'), file('z')]
					    socket.send_fds(s, [b'ignore\\n'], fds)
					    for fd in fds: os.close(fd)
					lines(200)
					""");
			assertThat(ignored.split("\\|")).hasSize(200).containsOnly("ok");
			String halfFrame = python("digest", """
					fds = [pipe('orphan'), file('orphan')]
					socket.send_fds(s, [b'no newline'], fds)
					s.close()
					print('sent')
					""");
			assertThat(halfFrame).isEqualTo("sent");
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(statistics(context, "ignore").descriptorsReceived())
				.as("a handler without a descriptor parameter receives none: the kernel closes them")
				.isZero();
		});
	}

	@Test
	void aDescriptorTheHandlerClosedIsNotClosedAgainWhenItsNumberIsReused() {
		runner().run((context) -> {
			String out = python("reuse", """
					fd = pipe('first')
					socket.send_fds(s, [b'close-and-reopen\\n'], [fd]); os.close(fd)
					s.sendall(b'check\\n')
					lines(2)
					""");
			assertThat(out).isEqualTo("reopened|still open");
		});
	}

	@Test
	void handlersSendDescriptorsWithRepliesAndSessionMessages() throws Exception {
		String hostname = java.nio.file.Files.readString(Path.of("/etc/hostname"));
		runner().run((context) -> {
			String receive = """
					s.sendall(b'give\\n')
					msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
					# pread: every descriptor sent shares the handler's one open file, and its offset
					print(msg.decode().strip(), len(fds), os.pread(fds[0], 1000, 0).decode().strip())
					""";
			assertThat(python("give", receive)).isEqualTo("here 1 " + hostname.strip());
			assertThat(python("push", receive)).isEqualTo("pushed 1 " + hostname.strip());
			try (LineClient client = client(context, "push")) {
				assertThat(client.request("again")).as("then the handler's own reply").isEqualTo("pushed");
				assertThat(client.readLine()).isEqualTo("done");
			}
		});
	}

	@Test
	void aReceivedDescriptorCanBeSentBackBeforeItIsClosed() {
		runner().run((context) -> {
			String out = python("back", """
					fd = pipe('round trip')
					socket.send_fds(s, [b'back\\n'], [fd]); os.close(fd)
					msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
					print(msg.decode().strip(), len(fds), os.read(fds[0], 100).decode())
					""");
			assertThat(out).isEqualTo("returned 1 round trip");
		});
	}

	@Test
	void tenThousandMessagesWithThreeDescriptorsHalfKeptLeaveNothingBehind() {
		runner().run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			warmUp(context, "keep");
			int baseline = ProcessResources.openDescriptors();
			String out = python("keep", """
					replies = s.makefile('rb')
					counts = set()
					for batch in range(100):
					    # 100 requests, then their replies: a client that never reads would stall both sides
					    for i in range(batch * 100, batch * 100 + 100):
					        fds = [os.open('/etc/hostname', os.O_RDONLY) for _ in range(3)]
					        socket.send_fds(s, [b'%d\\n' % i], fds)
					        for fd in fds: os.close(fd)
					    for _ in range(100):
					        counts.add(replies.readline().strip())
					print('|'.join(sorted(c.decode() for c in counts)))
					""");
			assertThat(out).as("every one of the 10,000 replies said 3 descriptors").isEqualTo("3");
			assertThat(statistics(context, "keep").descriptorsReceived()).isEqualTo(30000);
			assertThat(handlers.kept).hasSize(15000);
			// kept duplicates outlive their connection (whose own socket closes just after): still open
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> ProcessResources.openDescriptors() == baseline + 15000);
			assertThat(new BufferedInputStream(new FileInputStream(handlers.kept.get(14999))).readAllBytes())
				.isNotEmpty();
			ReceivedDescriptors.close(handlers.kept);
			handlers.kept.clear();
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(ProcessResources.openDescriptors()).isEqualTo(baseline);
		});
	}

	private void warmUp(ApplicationContext context, String listener) throws IOException {
		try (LineClient client = client(context, listener)) {
			assertThat(client.request("warm")).isNotNull();
		}
		// a baseline taken now must not count the warm-up connection's server side
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> context.getBean(UdsListenerEndpointRegistry.class)
				.getListenerContainer(listener)
				.getActiveConnections() == 0);
	}

	private String python(String listener, String script) throws Exception {
		Process process = new ProcessBuilder(RequiredTools.require("python3"), "-c", PRELUDE + script,
				this.dir.resolve(listener + ".sock").toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	private static LineClient client(ApplicationContext context, String name) throws IOException {
		return LineClient.connect(context.getBean(UdsListenerEndpointRegistry.class)
			.getListenerContainer(name)
			.getDefinition()
			.udsAddress());
	}

	private static UdsListenerStatistics statistics(ApplicationContext context, String name) {
		return context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name).getStatistics();
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

		@Bean
		dev.udsboot.listener.api.UdsListenerErrorHandler replyError() {
			return (message, exception) -> "error";
		}

	}

	static class Handlers {

		@UdsHandler({ "digest", "limited", "prefixed" })
		String digest(String line, FileDescriptor[] descriptors) throws IOException {
			List<String> contents = new ArrayList<>();
			for (FileDescriptor descriptor : descriptors) {
				// not closed here: the container closes the descriptor. Buffered, because JDK 17's
				// FileInputStream#readAllBytes seeks, which fails on a pipe ("Illegal seek")
				contents.add(new String(new BufferedInputStream(new FileInputStream(descriptor)).readAllBytes(),
						StandardCharsets.UTF_8));
			}
			return descriptors.length + ":" + String.join(",", contents);
		}

		@UdsHandler("ignore")
		String ignore(String line) {
			return "ok";
		}

		private FileInputStream reopened;

		private final FileInputStream hostname = open("/etc/hostname");

		private static FileInputStream open(String path) {
			try {
				return new FileInputStream(path);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		/** Called by Spring when the context closes (an inferred destroy method). */
		public void close() throws IOException {
			this.hostname.close();
			if (this.reopened != null) {
				this.reopened.close();
			}
		}

		final List<FileDescriptor> kept = java.util.Collections.synchronizedList(new ArrayList<>());

		@UdsHandler("keep")
		String keep(String line, FileDescriptor[] received) throws IOException {
			if (!line.equals("warm") && Integer.parseInt(line) % 2 == 0) {
				for (FileDescriptor descriptor : received) {
					this.kept.add(ReceivedDescriptors.keep(descriptor));
				}
			}
			return String.valueOf(received.length);
		}

		@UdsHandler("give")
		dev.udsboot.listener.UdsReply give(String line) throws IOException {
			return dev.udsboot.listener.UdsReply.of("here", this.hostname.getFD());
		}

		@UdsHandler("push")
		String push(String line, dev.udsboot.listener.UdsSession session) throws IOException {
			session.send("pushed".getBytes(StandardCharsets.UTF_8), List.of(this.hostname.getFD()));
			return "done";
		}

		final List<String> readAfterClose = new java.util.concurrent.CopyOnWriteArrayList<>();

		@UdsHandler("closing")
		void closeThenRead(String line, FileDescriptor descriptor, dev.udsboot.listener.UdsSession session) {
			session.close();
			try {
				this.readAfterClose.add(new String(new BufferedInputStream(new FileInputStream(descriptor)).readAllBytes(),
						StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				this.readAfterClose.add(ex.toString());
			}
		}

		@UdsHandler("empty")
		dev.udsboot.listener.UdsReply empty(String payload) throws IOException {
			return dev.udsboot.listener.UdsReply.of("", this.hostname.getFD());
		}

		@UdsHandler(value = "badreply", errorHandler = "replyError")
		dev.udsboot.listener.UdsReply badReply(String line) throws IOException {
			return dev.udsboot.listener.UdsReply.of("two\nlines", this.hostname.getFD());
		}

		@UdsHandler("back")
		dev.udsboot.listener.UdsReply back(String line, FileDescriptor[] received) {
			return dev.udsboot.listener.UdsReply.of("returned", received);
		}

		@UdsHandler("reuse")
		String reuse(String line, FileDescriptor descriptor) throws IOException {
			if (line.equals("close-and-reopen")) {
				try (FileInputStream in = new FileInputStream(descriptor)) {
					in.read();
				}
				// gets the lowest free number: usually the one just closed, which the container must
				// then not close again
				this.reopened = new FileInputStream("/etc/hostname");
				return "reopened";
			}
			return (this.reopened.read() >= 0) ? "still open" : "empty";
		}


	}

}
