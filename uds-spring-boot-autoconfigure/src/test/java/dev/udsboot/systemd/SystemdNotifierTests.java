package dev.udsboot.systemd;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;

import dev.udsboot.test.NotifyReceiver;
import dev.udsboot.test.ProcessResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier on its own, against real sockets: one socket kept for all notifications and
 * opened again when an interrupt closed it, {@code READY=1} tried again while systemd's queue is
 * full (and nothing else), the datagram size systemd reads, and {@code READY=1} and
 * {@code STOPPING=1} once per context hierarchy.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdNotifierTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	@Test
	void oneSocketIsKeptForEveryNotificationAndClosedWithTheNotifier() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			int before = ProcessResources.openDescriptors();
			SystemdNotifier notifier = new SystemdNotifier(receiver.address());
			for (int i = 0; i < 50; i++) {
				// some may find the receiver's queue full: what counts here is the descriptors
				notifier.notify("WATCHDOG=1");
			}
			receiver.await("WATCHDOG=1", WAIT);
			// not one per notification
			ProcessResources.awaitAtMost(before + 1, ProcessResources::openDescriptors, WAIT);
			// but one, opened once and kept (a process out of descriptors can still ping): close releases it
			int open = ProcessResources.openDescriptors();
			notifier.close();
			ProcessResources.awaitAtMost(open - 1, ProcessResources::openDescriptors, WAIT);
			assertThat(notifier.notify("WATCHDOG=1")).as("nothing after close").isFalse();
			ProcessResources.awaitAtMost(open - 1, ProcessResources::openDescriptors, WAIT);
		}
	}

	@Test
	void aSocketClosedByAnInterruptIsOpenedAgain() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			SystemdNotifier notifier = new SystemdNotifier(receiver.address());
			assertThat(notifier.notify("X-TEST=first")).isTrue();
			// as the watchdog's thread is interrupted when it stops, in the middle of a ping
			Thread.currentThread().interrupt();
			try {
				notifier.notify("X-TEST=interrupted");
			}
			finally {
				Thread.interrupted();
			}
			assertThat(notifier.notify("X-TEST=after")).isTrue();
			receiver.await("X-TEST=after", WAIT);
			notifier.close();
		}
	}

	@Test
	void readyIsTriedAgainWhileTheQueueIsFullButStoppingIsNot() throws Exception {
		Path path = this.dir.resolve("notify");
		try (AFUNIXDatagramChannel systemd = AFUNIXDatagramChannel.open()) {
			systemd.bind(AFUNIXSocketAddress.of(path));
			fill(systemd, path);
			SystemdNotifier notifier = new SystemdNotifier(path.toString());
			long start = System.nanoTime();
			assertThat(notifier.stopping()).as("STOPPING=1 into a full queue").isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one try").isLessThan(Duration.ofMillis(45));
			// a fresh notifier (STOPPING=1 has gone for the other): READY=1 goes once systemd reads
			SystemdNotifier ready = new SystemdNotifier(path.toString());
			CompletableFuture<List<String>> drained = CompletableFuture.supplyAsync(() -> {
				sleep(150);
				return drain(systemd);
			});
			assertThat(ready.ready("Serving test")).isTrue();
			List<String> received = new ArrayList<>(drained.get());
			received.addAll(drain(systemd));
			assertThat(received).anyMatch((datagram) -> datagram.startsWith("READY=1\nSTATUS=Serving test\nMAINPID="));
			notifier.close();
			ready.close();
		}
	}

	@Test
	void aDatagramSystemdWouldIgnoreIsNotSent(CapturedOutput output) {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			SystemdNotifier notifier = new SystemdNotifier(receiver.address());
			String most = "X-TEST=" + "a".repeat(SystemdNotifier.MAX_DATAGRAM_BYTES - "X-TEST=".length());
			assertThat(notifier.notify(most)).isTrue();
			assertThat(notifier.notify(most + "a")).isFalse();
			assertThat(output.getOut()).contains("the notification is 4097 bytes, more than systemd reads (4096)");
			notifier.notify("X-TEST=last");
			receiver.await("X-TEST=last", WAIT);
			assertThat(receiver.notifications()).extracting(NotifyReceiver.Notification::data).containsExactly(most,
					"X-TEST=last");
			notifier.close();
		}
	}

	@Test
	void readyAndStoppingGoOncePerContextHierarchyAndNoPingAfterStopping() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString());
				GenericApplicationContext parent = new GenericApplicationContext();
				GenericApplicationContext child = new GenericApplicationContext(parent);
				GenericApplicationContext other = new GenericApplicationContext()) {
			SystemdNotifier ofParent = new SystemdNotifier(receiver.address(), parent);
			SystemdNotifier ofChild = new SystemdNotifier(receiver.address(), child);
			SystemdNotifier ofOther = new SystemdNotifier(receiver.address(), other);
			assertThat(ofChild.ready("child")).isTrue();
			assertThat(ofParent.ready("parent")).isFalse();
			assertThat(ofParent.isReadyOrStopping()).isTrue();
			assertThat(ofOther.isReadyOrStopping()).as("another application").isFalse();
			assertThat(ofParent.watchdog()).isTrue();
			ofChild.health("check", false);
			assertThat(ofParent.watchdog()).as("while the child is not healthy").isFalse();
			ofChild.health("check", true);
			assertThat(ofParent.watchdog()).isTrue();
			assertThat(ofParent.stopping()).isTrue();
			assertThat(ofChild.stopping()).isFalse();
			assertThat(ofChild.watchdog()).as("after STOPPING=1").isFalse();
			ofChild.notify("X-TEST=last");
			receiver.await("X-TEST=last", WAIT);
			assertThat(receiver.notifications()).extracting((notification) -> notification.data().lines().findFirst().get())
				.containsExactly("READY=1", "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1", "X-TEST=last");
			List.of(ofParent, ofChild, ofOther).forEach(SystemdNotifier::close);
		}
	}

	private static void fill(AFUNIXDatagramChannel systemd, Path path) throws Exception {
		try (AFUNIXDatagramChannel filler = AFUNIXDatagramChannel.open()) {
			filler.configureBlocking(false);
			int sent = 0;
			while (filler.send(ByteBuffer.wrap("X-TEST=fill".getBytes(StandardCharsets.UTF_8)),
					AFUNIXSocketAddress.of(path)) > 0) {
				sent++;
				assertThat(sent).as("the queue fills up").isLessThan(100_000);
			}
		}
	}

	private static List<String> drain(AFUNIXDatagramChannel systemd) {
		List<String> datagrams = new ArrayList<>();
		try {
			systemd.configureBlocking(false);
			ByteBuffer buffer = ByteBuffer.allocate(8192);
			// the source address is null (the senders are unbound): an empty buffer is the end
			while (true) {
				systemd.receive(buffer);
				if (buffer.position() == 0) {
					break;
				}
				buffer.flip();
				datagrams.add(StandardCharsets.UTF_8.decode(buffer).toString());
				buffer.clear();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return datagrams;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
