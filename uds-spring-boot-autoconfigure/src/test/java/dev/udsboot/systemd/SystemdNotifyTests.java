package dev.udsboot.systemd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;
import dev.udsboot.test.NotifyReceiver;
import dev.udsboot.test.NotifyReceiver.Notification;
import dev.udsboot.test.ProcessResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness and stopping notifications from a real application to a {@code python3} receiver on
 * {@code NOTIFY_SOCKET} (a path and an abstract name), which checks the sender's pid from the
 * kernel's credentials and connects to a listener the moment {@code READY=1} or {@code STOPPING=1}
 * arrives.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdNotifyTests {

	private static final long OWN_PID = ProcessHandle.current().pid();

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	@Test
	void readyComesOnceEveryListenerAcceptsWithItsStatusAndMainPid() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString(),
				SystemdTestApplication.echoSocket(this.dir))) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
					List.of(SlowStartConfiguration.class), "--NOTIFY_SOCKET=" + receiver.address())) {
				Notification ready = receiver.await("READY=1", WAIT);
				assertThat(ready.pid()).as("the sender's pid (SCM_CREDENTIALS)").isEqualTo(OWN_PID);
				assertThat(ready.value("MAINPID")).isEqualTo(String.valueOf(OWN_PID));
				assertThat(ready.value("STATUS")).isEqualTo(SystemdTestApplication.status(this.dir));
				assertThat(ready.connect()).as("a connection to echo the moment READY=1 arrived").isEqualTo("ok");
				assertThat(receiver.notifications().get(0)).as("nothing before READY=1").isEqualTo(ready);
				assertThat(context.getBean(SlowStart.class).startedAt).as("the slow lifecycle started before READY=1")
					.isLessThan(ready.receivedNanos());
			}
			assertThat(receiver.count("READY=1")).isEqualTo(1);
		}
	}

	@Test
	void theConnectionCheckFailsWhenNothingAcceptsYet() {
		// the check above can fail: the same receiver reports a socket nothing listens on
		Path nothing = this.dir.resolve("nothing.sock");
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString(), nothing)) {
			assertThat(notifyOnce(receiver.address(), "READY=1")).isTrue();
			assertThat(receiver.await("READY=1", WAIT).connect()).isNotEqualTo("ok").contains("No such file");
		}
	}

	@Test
	void readyReachesAnAbstractNotifySocket() {
		String name = "@uds-notify-" + this.dir.getFileName();
		try (NotifyReceiver receiver = NotifyReceiver.bind(name, SystemdTestApplication.echoSocket(this.dir));
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
						"--NOTIFY_SOCKET=" + name)) {
			Notification ready = receiver.await("READY=1", WAIT);
			assertThat(ready.pid()).isEqualTo(OWN_PID);
			assertThat(ready.connect()).isEqualTo("ok");
			assertThat(ready.value("STATUS")).isEqualTo(SystemdTestApplication.status(this.dir));
		}
	}

	@Test
	void noReadyWhileAListenerIsNotRunningButStoppingStillComes(CapturedOutput output) {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
					List.of(StopEventsConfiguration.class), "--NOTIFY_SOCKET=" + receiver.address())) {
				await().atMost(WAIT).until(() -> output.getOut().contains("Not notifying systemd of readiness"));
				assertThat(output.getOut()).contains("Not notifying systemd of readiness (READY=1): listener 'events' ("
						+ this.dir.resolve("events.sock") + "): the listener is not running");
			}
			receiver.await("STOPPING=1", WAIT);
			assertThat(receiver.count("READY=1")).isZero();
		}
	}

	@Test
	void stoppingComesWhenTheContextBeginsToCloseWhileTheListenersStillAccept() {
		Path echo = SystemdTestApplication.echoSocket(this.dir);
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString(), echo)) {
			ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
					List.of(StoppingSeenConfiguration.class), "--NOTIFY_SOCKET=" + receiver.address());
			receiver.await("READY=1", WAIT);
			assertThat(receiver.count("STOPPING=1")).isZero();
			StoppingSeenConfiguration.receiver = receiver;
			context.close();
			Notification stopping = receiver.await("STOPPING=1", WAIT);
			assertThat(stopping.pid()).isEqualTo(OWN_PID);
			assertThat(stopping.value("STATUS")).isEqualTo("Stopping");
			assertThat(stopping.connect()).as("echo accepted when STOPPING=1 arrived").isEqualTo("ok");
			assertThat(Files.exists(echo)).as("and is gone now").isFalse();
			assertThat(receiver.notifications()).extracting(Notification::data)
				.containsExactly(receiver.await("READY=1", WAIT).data(), stopping.data());
		}
	}

	@Test
	void anUnreachableNotifySocketIsOneWarnLineAndTheApplicationServes(CapturedOutput output) throws Exception {
		Path nobody = this.dir.resolve("nobody.sock");
		// pings every 50 ms fail too: still one line
		try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
				"--NOTIFY_SOCKET=" + nobody, "--WATCHDOG_USEC=100000");
				LineClient client = LineClient.connect(UdsAddress.ofPath(SystemdTestApplication.echoSocket(this.dir)))) {
			assertThat(client.request("still here")).isEqualTo("still here");
			Thread.sleep(1000);
		}
		assertThat(output.getOut()).contains("Cannot notify systemd through NOTIFY_SOCKET=" + nobody + ": ");
		assertThat(warnLines(output, "Cannot notify systemd")).hasSize(1);
	}

	@Test
	void aNotifySocketThatIsNoAfUnixAddressIsOneWarnLine(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
				"--NOTIFY_SOCKET=vsock:2:1234")) {
			assertThat(context.isRunning()).isTrue();
		}
		assertThat(warnLines(output, "Cannot notify systemd")).singleElement()
			.asString()
			.contains("NOTIFY_SOCKET=vsock:2:1234: it is neither an absolute path nor an @abstract-name");
	}

	@Test
	void switchedOffNothingIsSent() throws Exception {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000",
					"--uds.systemd.notify.enabled=false", "--uds.systemd.watchdog.enabled=false")) {
				assertThat(context.getBeanProvider(SystemdReadinessNotifier.class).getIfAvailable()).isNull();
				assertThat(context.getBeanProvider(SystemdWatchdog.class).getIfAvailable()).isNull();
				Thread.sleep(1000);
			}
			// a last datagram of our own, so that anything sent before it has arrived too
			notifyOnce(receiver.address(), "X-TEST=last");
			receiver.await("X-TEST=last", WAIT);
			assertThat(receiver.notifications()).hasSize(1);
		}
	}

	@Test
	void inAContextHierarchyReadyComesFromTheChildWhoseListenersAcceptAndEachGoesOnce(CapturedOutput output) {
		Path echo = SystemdTestApplication.echoSocket(this.dir);
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString(), echo)) {
			ConfigurableApplicationContext child = SystemdTestApplication.runAsChild(this.dir,
					"--NOTIFY_SOCKET=" + receiver.address());
			ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
			assertThat(parent).isNotNull();
			// each context its own notifier, though the parent has one
			assertThat(child.getBeanNamesForType(SystemdReadinessNotifier.class)).hasSize(1);
			assertThat(parent.getBeanNamesForType(SystemdReadinessNotifier.class)).hasSize(1);
			Notification ready = receiver.await("READY=1", WAIT);
			assertThat(ready.connect()).as("the child's echo accepted when READY=1 arrived").isEqualTo("ok");
			assertThat(ready.value("STATUS")).isEqualTo(SystemdTestApplication.status(this.dir));
			assertThat(output.getOut()).contains("Not notifying systemd of readiness (READY=1) from application context '"
					+ parent.getId() + "': it has no listeners of its own");
			parent.close();
			assertThat(child.isActive()).as("closed with its parent").isFalse();
			receiver.await("STOPPING=1", WAIT);
			notifyOnce(receiver.address(), "X-TEST=last");
			receiver.await("X-TEST=last", WAIT);
			assertThat(receiver.notifications()).extracting((notification) -> notification.data().lines().findFirst().get())
				.containsExactly("READY=1", "STOPPING=1", "X-TEST=last");
		}
	}

	@Test
	void theStatusOfManyListenersOnLongPathsIsCutSoThatSystemdReadsReady() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			List<String> arguments = new ArrayList<>(List.of("--NOTIFY_SOCKET=" + receiver.address()));
			for (int i = 0; i < 60; i++) {
				String name = String.format("l%02d", i);
				// as long as a socket path may be (107 bytes)
				String file = name + "-" + "x".repeat(107 - this.dir.toString().length() - 1 - name.length() - 1 - 5) + ".sock";
				arguments.add("--uds.listeners." + name + ".type=datagram");
				arguments.add("--uds.listeners." + name + ".path=" + this.dir.resolve(file));
			}
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
					List.of(ManyListenersConfiguration.class), arguments.toArray(String[]::new))) {
				Notification ready = receiver.await("READY=1", WAIT);
				assertThat(ready.data().getBytes(StandardCharsets.UTF_8).length)
					.isLessThanOrEqualTo(SystemdNotifier.MAX_DATAGRAM_BYTES);
				String status = ready.value("STATUS");
				assertThat(status).startsWith("Serving ").matches(".* … and \\d+ more");
				assertThat(status.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StatusText.MAX_BYTES);
				assertThat(ready.value("MAINPID")).isEqualTo(String.valueOf(OWN_PID));
			}
		}
	}

	@Test
	void aNewlineInASocketPathCannotAddALine() {
		Path echo = this.dir.resolve("echo\nWATCHDOG=1\nX-INJECTED=1.sock");
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString());
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
						"--NOTIFY_SOCKET=" + receiver.address(), "--uds.listeners.echo.path=" + echo)) {
			Notification ready = receiver.await("READY=1", WAIT);
			assertThat(ready.data().lines()).hasSize(3).noneMatch((line) -> line.startsWith("X-INJECTED") || line.equals("WATCHDOG=1"));
			assertThat(ready.value("STATUS")).contains("echo (" + this.dir.resolve("echo?WATCHDOG=1?X-INJECTED=1.sock") + ")");
		}
	}

	@Test
	void noPingFollowsStoppingThoughTheContextTakesTimeToClose() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
					List.of(SlowCloseConfiguration.class), "--NOTIFY_SOCKET=" + receiver.address(),
					"--WATCHDOG_USEC=20000");
			await().atMost(WAIT).until(() -> receiver.count("WATCHDOG=1") >= 3);
			// a ContextClosedEvent listener after the one that sends STOPPING=1 takes 300 ms: 30 pings' time
			context.close();
			notifyOnce(receiver.address(), "X-TEST=last");
			receiver.await("X-TEST=last", WAIT);
			List<String> first = receiver.notifications()
				.stream()
				.map((notification) -> notification.data().lines().findFirst().get())
				.toList();
			assertThat(first.subList(first.indexOf("STOPPING=1"), first.size())).containsExactly("STOPPING=1", "X-TEST=last");
		}
	}

	@Test
	void theNotifySocketIsClosedWithItsContext() {
		try (NotifyReceiver receiver = NotifyReceiver.bind(this.dir.resolve("notify").toString())) {
			String[] arguments = { "--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000" };
			// once first, so that what the first run opens for good (jar files, classes) is counted before
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(), arguments)) {
				receiver.await("WATCHDOG=1", WAIT);
			}
			int before = ProcessResources.openDescriptors();
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(), arguments)) {
				await().atMost(WAIT).until(() -> receiver.count("WATCHDOG=1") > 3);
			}
			ProcessResources.awaitAtMost(before, ProcessResources::openDescriptors, WAIT);
		}
	}

	/** Sends one notification from a notifier of its own, closed at once (it keeps a socket open). */
	static boolean notifyOnce(String address, String state) {
		try (SystemdNotifier notifier = new SystemdNotifier(address)) {
			return notifier.notify(state);
		}
	}

	static List<String> warnLines(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains(" WARN ") && line.contains(text)).toList();
	}

	/** Delays the start of the context before the listeners bind, so that an early READY=1 would be seen. */
	@Configuration(proxyBeanMethods = false)
	static class SlowStartConfiguration {

		@Bean
		SlowStart slowStart() {
			return new SlowStart();
		}

	}

	static class SlowStart implements SmartLifecycle {

		volatile long startedAt = Long.MAX_VALUE;

		private volatile boolean running;

		@Override
		public void start() {
			this.startedAt = System.nanoTime();
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			// before the listeners
			return UdsListenerEndpointRegistry.DEFAULT_PHASE - 1;
		}

	}

	/** Stops the {@code events} listener once the listeners started: one listener is not running at readiness. */
	@Configuration(proxyBeanMethods = false)
	static class StopEventsConfiguration {

		@Bean
		SmartLifecycle stopEvents(UdsListenerEndpointRegistry registry) {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					registry.getListenerContainer("events").stop();
					this.running = true;
				}

				@Override
				public void stop() {
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

				@Override
				public int getPhase() {
					return UdsListenerEndpointRegistry.DEFAULT_PHASE + 1;
				}

			};
		}

	}

	/** Serves 60 more datagram listeners, {@code l00} to {@code l59}. */
	@Configuration(proxyBeanMethods = false)
	static class ManyListenersConfiguration {

		@Bean
		ManyListeners manyListeners() {
			return new ManyListeners();
		}

	}

	static class ManyListeners {

		@UdsHandler({ "l00", "l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09",
				"l10", "l11", "l12", "l13", "l14", "l15", "l16", "l17", "l18", "l19",
				"l20", "l21", "l22", "l23", "l24", "l25", "l26", "l27", "l28", "l29",
				"l30", "l31", "l32", "l33", "l34", "l35", "l36", "l37", "l38", "l39",
				"l40", "l41", "l42", "l43", "l44", "l45", "l46", "l47", "l48", "l49",
				"l50", "l51", "l52", "l53", "l54", "l55", "l56", "l57", "l58", "l59" })
		void event(String event) {
		}

	}

	/**
	 * Holds the close, after {@code STOPPING=1} (a listener method comes last), until the receiver
	 * has it and has tried to connect: the listeners stop only after the event, and a connect
	 * that came later than their stop would say nothing of when {@code STOPPING=1} was sent.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StoppingSeenConfiguration {

		static volatile NotifyReceiver receiver;

		@EventListener(ContextClosedEvent.class)
		void closing() {
			NotifyReceiver seen = receiver;
			if (seen != null) {
				await().atMost(WAIT).until(() -> seen.count("STOPPING=1") > 0);
			}
		}

	}

	/** Takes 300 ms to handle {@code ContextClosedEvent}, after {@code STOPPING=1} (a listener method comes last). */
	@Configuration(proxyBeanMethods = false)
	static class SlowCloseConfiguration {

		@EventListener(ContextClosedEvent.class)
		void closing() throws InterruptedException {
			Thread.sleep(300);
		}

	}

}
