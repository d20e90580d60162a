package dev.udsboot.listener.datagram;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsReply;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Datagram listeners against python3 and socat clients: replies at each sender's own address,
 * abstract names, sizes at and over the limit, empty datagrams, senders that cannot be answered,
 * floods, descriptors, graceful stop, and no descriptor or thread left behind.
 */
class DatagramListenerTests {

	/** Python helpers: bound client sockets in the test directory, ask = send and wait for a reply. */
	private static final String PRELUDE = """
			import os, socket, sys, tempfile, threading, time
			SRV = ('\\0' + sys.argv[1][1:]) if sys.argv[1].startswith('@') else sys.argv[1]
			DIR = sys.argv[2]
			def bound(name=None):
			    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			    s.settimeout(10)
			    path = os.path.join(DIR, name or 'c%d-%d.sock' % (os.getpid(), threading.get_ident() % 100000))
			    if os.path.exists(path): os.unlink(path)
			    s.bind(path)
			    return s
			def reply(s, timeout=10):
			    s.settimeout(timeout)
			    try:
			        return s.recv(70000).decode()
			    except socket.timeout:
			        return '<none>'
			def ask(s, data, timeout=10):
			    s.sendto(data, SRV)
			    return reply(s, timeout)
			def send_fds(s, data, fds):
			    import array
			    s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))], 0, SRV)
			def pipe(text):
			    r, w = os.pipe()
			    os.write(w, text.encode())
			    os.close(w)
			    return r
			""";

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues(datagram("ack"), "uds.listeners.ack.path=" + path("ack"), datagram("echo"),
					"uds.listeners.echo.path=" + path("echo"), datagram("abstract"),
					"uds.listeners.abstract.abstract-name=uds-test-" + this.dir.getFileName(), datagram("small"),
					"uds.listeners.small.path=" + path("small"), "uds.listeners.small.max-message-size=16B",
					datagram("fds"), "uds.listeners.fds.path=" + path("fds"), datagram("slow"),
					"uds.listeners.slow.path=" + path("slow"), datagram("peer"), "uds.listeners.peer.path=" + path("peer"),
					datagram("give"), "uds.listeners.give.path=" + path("give"), datagram("parallel"),
					"uds.listeners.parallel.path=" + path("parallel"), "uds.listeners.parallel.concurrency=4",
					datagram("interrupting"), "uds.listeners.interrupting.path=" + path("interrupting"),
					datagram("stuck"), "uds.listeners.stuck.path=" + path("stuck"), datagram("give-late"),
					"uds.listeners.give-late.path=" + path("give-late"), datagram("small-fds"),
					"uds.listeners.small-fds.path=" + path("small-fds"), "uds.listeners.small-fds.max-message-size=16B");
	}

	private static String datagram(String name) {
		return "uds.listeners." + name + ".type=datagram";
	}

	private String path(String name) {
		return this.dir.resolve(name + ".sock").toString();
	}

	@Test
	void theSeedsTryItManyClientsAtOnceEachAnsweredAtItsOwnPath() throws Exception {
		runner().run((context) -> {
			List<Process> clients = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				clients.add(start(path("echo"), """
						s = bound()
						ok = 0
						for n in range(100):
						    msg = 'client %s message %d' % (os.getpid(), n)
						    if ask(s, msg.encode()) == msg: ok += 1
						print(ok)
						"""));
			}
			for (Process client : clients) {
				assertThat(output(client)).as("replies matched to requests").isEqualTo("100");
			}
			assertThat(statistics(context, "echo").messagesReceived()).isEqualTo(800);
			assertThat(statistics(context, "echo").messagesSent()).isEqualTo(800);
		});
	}

	@Test
	void socatSendsADatagramAndReadsTheAck() throws Exception {
		runner().run((context) -> {
			Process socat = new ProcessBuilder(RequiredTools.require("socat"), "-t", "2", "-",
					"UNIX-SENDTO:" + path("ack") + ",bind=" + this.dir.resolve("socat.sock"))
				.redirectErrorStream(true)
				.start();
			socat.getOutputStream().write("hello from socat".getBytes(StandardCharsets.UTF_8));
			socat.getOutputStream().close();
			assertThat(output(socat)).isEqualTo("ACK");
			assertThat(context.getBean(Handlers.class).acked).containsExactly("hello from socat");
			// bound in place: no private directory, which other binders would take for abandoned
			assertThat(Files.list(this.dir).map(Path::getFileName).map(Path::toString))
				.noneMatch((file) -> file.startsWith(".uds-"));
		});
	}

	@Test
	void abstractNamesServeDatagramsWithoutAFile() throws Exception {
		runner().run((context) -> {
			String name = "@uds-test-" + this.dir.getFileName();
			assertThat(python(name, """
					s = bound()
					print(ask(s, b'to the abstract name'))
					""")).isEqualTo("ACK abstract");
			// a sender bound to an abstract name is answered at exactly that name
			assertThat(python(name, """
					s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
					s.bind('\\0uds-client-' + os.path.basename(DIR))
					print(ask(s, b'from an abstract name'))
					""")).isEqualTo("ACK abstract");
			Process socat = new ProcessBuilder(RequiredTools.require("socat"), "-t", "2", "-",
					"ABSTRACT-SENDTO:" + name.substring(1) + ",bind=" + this.dir.resolve("socat-abstract.sock"))
				.redirectErrorStream(true)
				.start();
			socat.getOutputStream().write("socat".getBytes(StandardCharsets.UTF_8));
			socat.getOutputStream().close();
			assertThat(output(socat)).isEqualTo("ACK abstract");
			assertThat(Files.list(this.dir).map(Path::getFileName).map(Path::toString))
				.noneMatch((file) -> file.contains("abstract"));
		});
	}

	@Test
	void aDatagramOverMaxMessageSizeIsDroppedAndCountedNotTruncated() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("small"), """
					s = bound()
					print(ask(s, b'x' * 17, timeout=1), ask(s, b'y' * 16), ask(s, b'z' * 70000, timeout=1), ask(s, b'ok'))
					""")).isEqualTo("<none> " + "y".repeat(16) + " <none> ok");
			assertThat(statistics(context, "small").oversizedFrames()).isEqualTo(2);
			assertThat(statistics(context, "small").messagesReceived()).isEqualTo(2);
		});
	}

	@Test
	void anEmptyDatagramIsHandledButJunixsocketCannotTellItsSender() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("ack"), """
					s = bound()
					print(ask(s, b'', timeout=1), ask(s, b'after'))
					""")).isEqualTo("<none> ACK");
			assertThat(context.getBean(Handlers.class).acked).containsExactly("", "after");
			assertThat(statistics(context, "ack").unaddressedReplies()).isEqualTo(1);
		});
	}

	@Test
	void anUnboundSenderIsHandledButCannotBeAnswered() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("ack"), """
					s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
					s.sendto(b'from nowhere', SRV)
					print('sent')
					""")).isEqualTo("sent");
			await().atMost(Duration.ofSeconds(5)).until(() -> statistics(context, "ack").unaddressedReplies() == 1);
			assertThat(context.getBean(Handlers.class).acked).containsExactly("from nowhere");
			assertThat(statistics(context, "ack").failedReplies()).isZero();
		});
	}

	@Test
	void aSenderThatVanishesBeforeTheReplyIsCountedQuietly() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("slow"), """
					s = bound('vanishing.sock')
					s.sendto(b'then gone', SRV)
					s.close()
					os.unlink(os.path.join(DIR, 'vanishing.sock'))
					print('gone')
					""")).isEqualTo("gone");
			await().atMost(Duration.ofSeconds(5)).until(() -> statistics(context, "slow").failedReplies() == 1);
			// closed without removing its file: the reply is refused, which makes junixsocket close the
			// descriptor it was sent on; the listener's own socket must stay open
			assertThat(python(path("slow"), """
					s = bound('stale.sock')
					s.sendto(b'then closed', SRV)
					s.close()
					print(os.path.exists(os.path.join(DIR, 'stale.sock')))
					""")).isEqualTo("True");
			await().atMost(Duration.ofSeconds(5)).until(() -> statistics(context, "slow").failedReplies() == 2);
			assertThat(python(path("slow"), """
					s = bound()
					print(ask(s, b'still there'))
					""")).isEqualTo("still there");
		});
	}

	@Test
	void aSenderFloodingWithoutReadingDoesNotStopOthersBeingServed() throws Exception {
		runner().run((context) -> {
			Process flood = start(path("echo"), """
					s = bound('flood.sock')
					start = time.time()
					for n in range(3000):
					    s.sendto(b'flood %d' % n, SRV)
					print('flooded')
					""");
			String served = python(path("echo"), """
					s = bound()
					start = time.time()
					answers = [ask(s, b'polite %d' % n, timeout=5) for n in range(20)]
					print(sum(1 for n, a in enumerate(answers) if a == 'polite %d' % n), round(time.time() - start) < 5)
					""");
			assertThat(served).isEqualTo("20 True");
			assertThat(output(flood)).isEqualTo("flooded");
			await().atMost(Duration.ofSeconds(10)).until(() -> statistics(context, "echo").messagesReceived() == 3020);
			assertThat(statistics(context, "echo").failedReplies()).as("replies the flooder never read").isPositive();
		});
	}

	@Test
	void tenSendersNotReadingTheirRepliesLeaveRoomForTheOthers() throws Exception {
		// the kernel's default send buffer holds some seventy small replies: ten senders with ten
		// unread replies each would leave none for anybody else
		runner().run((context) -> {
			Process idle = start(path("echo"), """
					sockets = [bound('idle-%d.sock' % n) for n in range(10)]
					for s in sockets:
					    for n in range(10):
					        s.sendto(b'unread', SRV)
					print('ready', flush=True)
					sys.stdin.readline()
					""");
			assertThat(firstLine(idle))
				.isEqualTo("ready");
			await().atMost(Duration.ofSeconds(10)).until(() -> statistics(context, "echo").messagesReceived() == 100);
			assertThat(python(path("echo"), """
					s = bound()
					print(sum(1 for n in range(20) if ask(s, b'polite %d' % n, timeout=5) == 'polite %d' % n))
					""")).isEqualTo("20");
			assertThat(statistics(context, "echo").failedReplies()).isZero();
			idle.getOutputStream().close();
			assertThat(idle.waitFor()).isZero();
		});
	}

	@Test
	void sendersFillingTheWholeSendBufferDoNotSlowTheListenerToACrawl() throws Exception {
		// twenty senders that never read hold more 60 KB replies than the largest send buffer; then
		// no reply has room, and if each waited its 100 ms, a hundred more senders would take the
		// listener 10 s to get through
		runner().run((context) -> {
			Process idle = start(path("echo"), """
					sockets = [bound('full-%d.sock' % n) for n in range(20)]
					for s in sockets:
					    for n in range(12):
					        s.sendto(b'x' * 60000, SRV)
					print('ready', flush=True)
					sys.stdin.readline()
					""");
			assertThat(firstLine(idle))
				.isEqualTo("ready");
			await().atMost(Duration.ofSeconds(30)).until(() -> statistics(context, "echo").messagesReceived() == 240);
			long start = System.nanoTime();
			assertThat(python(path("echo"), """
					sockets = [bound('more-%d.sock' % n) for n in range(100)]
					for s in sockets:
					    s.sendto(b'more', SRV)
					print('sent')
					""")).isEqualTo("sent");
			await().atMost(Duration.ofSeconds(30)).until(() -> statistics(context, "echo").messagesReceived() == 340);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(statistics(context, "echo").failedReplies()).isGreaterThan(100);
			idle.getOutputStream().close();
			assertThat(idle.waitFor()).isZero();
			// their queues gone, the buffer is free again: after the pressed second, all answered
			assertThat(python(path("echo"), """
					time.sleep(1.2)
					s = bound()
					print(sum(1 for n in range(20) if ask(s, b'polite %d' % n, timeout=5) == 'polite %d' % n))
					""")).isEqualTo("20");
		});
	}

	@Test
	void descriptorsArriveWithTheirDatagramAndNoneLeak() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("fds"), """
					s = bound()
					print(ask(s, b'warm'))
					""")).isEqualTo("0:");
			int baseline = ProcessResources.openDescriptors();
			assertThat(python(path("fds"), """
					s = bound()
					fds = [pipe('one'), pipe('two')]
					send_fds(s, b'read', fds)
					for fd in fds: os.close(fd)
					first = reply(s)
					answers = []
					for count in (17, 61, 250):
					    fds = [os.open('/etc/hostname', os.O_RDONLY) for _ in range(count)]
					    send_fds(s, b'too many', fds)
					    for fd in fds: os.close(fd)
					    answers.append(reply(s, timeout=1))
					print(first, answers, ask(s, b'after'))
					""")).isEqualTo("2:one,two ['<none>', '<none>', '<none>'] 0:");
			assertThat(python(path("ack"), """
					s = bound()
					for n in range(100):
					    fds = [pipe('ignored'), os.open('/etc/hostname', os.O_RDONLY)]
					    send_fds(s, b'no parameter takes these', fds)
					    for fd in fds: os.close(fd)
					    reply(s)
					print(ask(s, b'done'))
					""")).isEqualTo("ACK");
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			assertThat(statistics(context, "fds").descriptorRejections()).isEqualTo(3);
			assertThat(statistics(context, "fds").descriptorsReceived()).isEqualTo(2);
			assertThat(statistics(context, "ack").descriptorsReceived()).isZero();
		});
	}

	@Test
	void oversizedAndEmptyDatagramsCarryingDescriptorsLeakNone() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("small-fds"), """
					s = bound()
					print(ask(s, b'warm'))
					""")).isEqualTo("0:warm");
			int baseline = ProcessResources.openDescriptors();
			assertThat(python(path("small-fds"), """
					s = bound()
					answers = []
					for n in range(50):
					    fds = [pipe('big'), pipe('empty')]
					    send_fds(s, b'x' * 17, fds)
					    send_fds(s, b'', fds)
					    for fd in fds: os.close(fd)
					print(ask(s, b'after'))
					""")).isEqualTo("0:after");
			await().atMost(Duration.ofSeconds(10)).until(() -> statistics(context, "small-fds").messagesReceived() == 52);
			UdsListenerStatistics statistics = statistics(context, "small-fds");
			assertThat(statistics.oversizedFrames()).isEqualTo(50);
			assertThat(statistics.unaddressedReplies()).as("empty datagrams come without a sender").isEqualTo(50);
			assertThat(context.getBean(Handlers.class).emptyWithDescriptors).as("what the handler read")
				.containsOnly("2:big,empty")
				.hasSize(50);
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		});
	}

	@Test
	void aReplyWithDescriptorsToAVanishedSenderFailsQuietlyAndLeaksNone() throws Exception {
		String hostname = Files.readString(Path.of("/etc/hostname")).strip();
		String fetch = """
				s = bound()
				s.settimeout(10)
				s.sendto(b'give', SRV)
				msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
				print(msg.decode(), len(fds), os.pread(fds[0], 1000, 0).decode().strip())
				""";
		runner().run((context) -> {
			assertThat(python(path("give-late"), fetch)).isEqualTo("here 1 " + hostname);
			int baseline = ProcessResources.openDescriptors();
			assertThat(python(path("give-late"), """
					for n in range(20):
					    s = bound('vanishing-%d.sock' % n)
					    s.sendto(b'give', SRV)
					    s.close()
					    if n % 2 == 0: os.unlink(os.path.join(DIR, 'vanishing-%d.sock' % n))
					print('gone')
					""")).isEqualTo("gone");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> statistics(context, "give-late").failedReplies() == 20);
			// half refused (closed, file left), which makes junixsocket close the descriptor sent on:
			// the next reply still carries exactly the handler's descriptor
			assertThat(python(path("give-late"), fetch)).isEqualTo("here 1 " + hostname);
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		});
	}

	@Test
	void aHandlerAnswersWithDescriptorsAndThroughItsPeer() throws Exception {
		String hostname = Files.readString(Path.of("/etc/hostname")).strip();
		runner().run((context) -> {
			assertThat(python(path("give"), """
					s = bound()
					s.settimeout(10)
					s.sendto(b'give', SRV)
					msg, fds, flags, addr = socket.recv_fds(s, 1024, 4)
					print(msg.decode(), len(fds), os.pread(fds[0], 1000, 0).decode().strip())
					""")).isEqualTo("here 1 " + hostname);
			assertThat(python(path("peer"), """
					s = bound()
					print(ask(s, b'who'), reply(s))
					""")).isEqualTo("first credentials unknown");
		});
	}

	@Test
	void withOneThreadDatagramsAreHandledInArrivalOrder() throws Exception {
		runner().run((context) -> {
			assertThat(python(path("ack"), """
					s = bound()
					acks = 0
					# five at a time: a client's queue holds about ten datagrams, and replies beyond
					# what it holds are dropped after a short wait rather than block the listener
					for batch in range(40):
					    for n in range(batch * 5, batch * 5 + 5):
					        s.sendto(b'%d' % n, SRV)
					    acks += sum(1 for _ in range(5) if reply(s) == 'ACK')
					print(acks)
					""")).isEqualTo("200");
			List<String> expected = new ArrayList<>();
			for (int n = 0; n < 200; n++) {
				expected.add(String.valueOf(n));
			}
			assertThat(context.getBean(Handlers.class).acked).containsExactlyElementsOf(expected);
		});
	}

	@Test
	void concurrentThreadsHandleDatagramsInParallel() throws Exception {
		runner().run((context) -> {
			// each handler waits until four run at once: with fewer threads this would time out
			assertThat(python(path("parallel"), """
					s = bound()
					for n in range(4):
					    s.sendto(b'%d' % n, SRV)
					print(sorted(reply(s) for _ in range(4)))
					""")).isEqualTo("['4', '4', '4', '4']");
		});
	}

	@Test
	void gracefulStopAnswersEveryDatagramAlreadyQueued() throws Exception {
		runner().run((context) -> {
			Process client = start(path("slow"), """
					s = bound()
					for n in range(10):
					    s.sendto(b'queued %d' % n, SRV)
					print('sent', flush=True)
					print(sum(1 for n in range(10) if reply(s) == 'queued %d' % n))
					""");
			String sent = firstLine(client);
			assertThat(sent).isEqualTo("sent");
			container(context, "slow").stop();
			assertThat(output(client)).isEqualTo("10");
			assertThat(Path.of(path("slow"))).doesNotExist();
			assertThat(container(context, "slow").isRunning()).isFalse();
		});
	}

	@Test
	void aHandlerLeavingItsThreadInterruptedDoesNotEndTheListener() throws Exception {
		runner().run((context) -> {
			// junixsocket closes a channel received on by an interrupted thread
			assertThat(python(path("interrupting"), """
					s = bound()
					print(ask(s, b'one'), ask(s, b'two'), ask(s, b'three'))
					""")).isEqualTo("one two three");
			assertThat(container(context, "interrupting").isRunning()).isTrue();
		});
	}

	@Test
	void stopCompletesWhenTheSocketFileWasDeletedOrReplaced() throws Exception {
		runner().run((context) -> {
			Files.delete(Path.of(path("ack")));
			assertThat(stopWithin(container(context, "ack"), Duration.ofSeconds(5))).isTrue();
			Files.delete(Path.of(path("echo")));
			Process other = start(path("echo"), """
					s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
					s.bind(SRV)
					print('bound', flush=True)
					print(reply(s, timeout=3))
					""");
			assertThat(firstLine(other))
				.isEqualTo("bound");
			assertThat(stopWithin(container(context, "echo"), Duration.ofSeconds(5))).isTrue();
			assertThat(output(other)).as("our stop datagram went to our socket, not to the new owner of the path")
				.isEqualTo("<none>");
			assertThat(context.getBean(Handlers.class).acked).as("no message made up at shutdown").isEmpty();
		});
	}

	@Test
	void closeAbortsAStopStillWaitingForAHandler() throws Exception {
		runner().run((context) -> {
			UdsListenerContainer stuck = container(context, "stuck");
			assertThat(python(path("stuck"), """
					s = bound()
					s.sendto(b'never answered', SRV)
					print('sent')
					""")).isEqualTo("sent");
			Handlers handlers = context.getBean(Handlers.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> handlers.stuck.getCount() == 0);
			java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
			stuck.stop(stopped::countDown);
			assertThat(stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
			stuck.close();
			assertThat(stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the aborted run finished").isTrue();
			assertThat(Path.of(path("stuck"))).doesNotExist();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Thread.getAllStackTraces().keySet().stream()
					.noneMatch((thread) -> thread.getName().startsWith("uds-stuck-")));
		});
	}

	@Test
	void stopDoesNotHoldItsCallerWhenTheQueueIsFull() throws Exception {
		runner().run((context) -> {
			UdsListenerContainer stuck = container(context, "stuck");
			assertThat(python(path("stuck"), """
					s = bound()
					s.sendto(b'never answered', SRV)
					time.sleep(0.5)
					s.setblocking(False)
					queued = 0
					try:
					    while True:
					        s.sendto(b'queued', SRV)
					        queued += 1
					except BlockingIOError:
					    pass
					print(queued > 0)
					""")).isEqualTo("True");
			java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
			long start = System.nanoTime();
			stuck.stop(stopped::countDown);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stop(callback) returns at once")
				.isLessThan(Duration.ofSeconds(1));
			assertThat(Path.of(path("stuck"))).doesNotExist();
			assertThat(stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
			stuck.close();
			assertThat(stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the aborted run finished").isTrue();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Thread.getAllStackTraces().keySet().stream()
					.noneMatch((thread) -> thread.getName().startsWith("uds-stuck-")));
		});
	}

	private static boolean stopWithin(UdsListenerContainer container, Duration timeout) throws InterruptedException {
		java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
		container.stop(stopped::countDown);
		return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	@Test
	void startAndStopLeaveNoDescriptorOrThreadBehind() throws Exception {
		runner().run((context) -> {
			UdsListenerContainer container = container(context, "echo");
			// one whole cycle first: its first use starts what the JDK and junixsocket keep for the
			// JVM's lifetime (a cleaner thread among them)
			container.stop();
			container.start();
			assertThat(askWithJunixsocket(path("echo"), "warm")).isEqualTo("warm");
			container.stop();
			container.start();
			assertThat(askWithJunixsocket(path("echo"), "warm")).isEqualTo("warm");
			int descriptors = ProcessResources.openDescriptors();
			int threads = ProcessResources.liveThreads();
			for (int i = 0; i < 10; i++) {
				container.stop();
				container.start();
				assertThat(askWithJunixsocket(path("echo"), "cycle")).isEqualTo("cycle");
			}
			ProcessResources.awaitAtMost(descriptors, ProcessResources::openDescriptors, Duration.ofSeconds(10));
			ProcessResources.awaitAtMost(threads, ProcessResources::liveThreads, Duration.ofSeconds(10));
		});
		assertThat(Files.list(this.dir).map(Path::getFileName).map(Path::toString))
			.as("socket files and private directories are gone")
			.noneMatch((file) -> file.endsWith("echo.sock") || file.startsWith(".uds-"));
	}

	@Test
	void aLiveDatagramSocketAtThePathIsNeitherStolenNorDeleted() throws Exception {
		Process holder = start(path("ack"), """
				s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
				s.bind(SRV)
				print('bound', flush=True)
				s.settimeout(30)
				data, addr = s.recvfrom(100)
				s.sendto(b'python still has it', addr)
				""");
		assertThat(firstLine(holder))
			.isEqualTo("bound");
		runner().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("another process");
		});
		assertThat(python(path("ack"), """
				s = bound()
				print(ask(s, b'who has it'))
				""")).isEqualTo("python still has it");
		holder.waitFor();
	}

	@Test
	void aStaleDatagramSocketFileIsReplaced() throws Exception {
		assertThat(python(path("ack"), """
				s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
				s.bind(SRV)
				s.close()
				print(os.path.exists(SRV))
				""")).isEqualTo("True");
		runner().run((context) -> assertThat(python(path("ack"), """
				s = bound()
				print(ask(s, b'fresh'))
				""")).isEqualTo("ACK"));
	}

	/** Asks from this JVM, so that the descriptor count sees no client process's pipes. */
	private String askWithJunixsocket(String server, String request) throws IOException {
		Path clientPath = this.dir.resolve("junixsocket-client.sock");
		Files.deleteIfExists(clientPath);
		try (org.newsclub.net.unix.AFUNIXDatagramChannel client = org.newsclub.net.unix.AFUNIXDatagramChannel.open()) {
			client.bind(org.newsclub.net.unix.AFUNIXSocketAddress.of(clientPath));
			client.socket().setSoTimeout(10_000);
			client.send(java.nio.ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)),
					org.newsclub.net.unix.AFUNIXSocketAddress.of(Path.of(server)));
			java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(1024);
			client.receive(reply);
			reply.flip();
			return StandardCharsets.UTF_8.decode(reply).toString();
		}
		finally {
			Files.deleteIfExists(clientPath);
		}
	}

	private Process start(String address, String script) throws IOException {
		return new ProcessBuilder(RequiredTools.require("python3"), "-c", PRELUDE + script, address,
				this.dir.toString())
			.redirectErrorStream(true)
			.start();
	}

	private String python(String address, String script) throws Exception {
		return output(start(address, script));
	}

	/** Reads the first line a client process prints, leaving it running. */
	private static String firstLine(Process process) throws IOException {
		return new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
			.readLine();
	}

	private static String output(Process process) throws Exception {
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		assertThat(process.waitFor()).as(output).isZero();
		return output;
	}

	private static UdsListenerContainer container(ApplicationContext context, String name) {
		return context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name);
	}

	private static UdsListenerStatistics statistics(ApplicationContext context, String name) {
		return container(context, name).getStatistics();
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		final List<String> acked = new CopyOnWriteArrayList<>();

		private final FileInputStream hostname = open();

		private final java.util.concurrent.CyclicBarrier four = new java.util.concurrent.CyclicBarrier(4);

		private static FileInputStream open() {
			try {
				return new FileInputStream("/etc/hostname");
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		/** Called by Spring when the context closes (an inferred destroy method). */
		public void close() throws IOException {
			this.hostname.close();
		}

		@UdsHandler("ack")
		String ack(String payload) {
			this.acked.add(payload);
			return "ACK";
		}

		@UdsHandler("abstract")
		String ackAbstract(String payload) {
			return "ACK abstract";
		}

		@UdsHandler({ "echo", "small" })
		byte[] echo(byte[] payload) {
			return payload;
		}

		@UdsHandler("slow")
		String slow(String payload) throws InterruptedException {
			Thread.sleep(50);
			return payload;
		}

		@UdsHandler("fds")
		String read(String payload, FileDescriptor[] descriptors) throws IOException {
			List<String> contents = new ArrayList<>();
			for (FileDescriptor descriptor : descriptors) {
				contents.add(new String(new BufferedInputStream(new FileInputStream(descriptor)).readAllBytes(),
						StandardCharsets.UTF_8));
			}
			return descriptors.length + ":" + String.join(",", contents);
		}

		@UdsHandler("give")
		UdsReply give(String payload) throws IOException {
			return UdsReply.of("here", this.hostname.getFD());
		}

		final List<String> emptyWithDescriptors = new CopyOnWriteArrayList<>();

		@UdsHandler("small-fds")
		String smallWithDescriptors(String payload, FileDescriptor[] descriptors) throws IOException {
			String read = read(payload, descriptors);
			if (payload.isEmpty()) {
				this.emptyWithDescriptors.add(read);
			}
			return read + payload;
		}

		@UdsHandler("give-late")
		UdsReply giveLate(String payload) throws IOException, InterruptedException {
			Thread.sleep(50);
			return give(payload);
		}

		@UdsHandler("peer")
		String peer(String payload, @Nullable PeerCredentials credentials, UdsPeer peer) {
			peer.send("first".getBytes(StandardCharsets.UTF_8));
			return "credentials " + ((credentials != null) ? credentials.uid() : "unknown");
		}

		final java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);

		@UdsHandler("interrupting")
		String interrupting(String payload) {
			Thread.currentThread().interrupt();
			return payload;
		}

		@UdsHandler("stuck")
		String stuck(String payload) throws InterruptedException {
			this.stuck.countDown();
			new java.util.concurrent.CountDownLatch(1).await();
			return payload;
		}

		@UdsHandler("parallel")
		String parallel(String payload) throws Exception {
			this.four.await(5, java.util.concurrent.TimeUnit.SECONDS);
			return String.valueOf(this.four.getParties());
		}

	}

}
