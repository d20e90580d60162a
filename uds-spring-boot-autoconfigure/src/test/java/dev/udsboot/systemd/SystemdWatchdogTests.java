package dev.udsboot.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.autoconfigure.health.UdsHealthContributorAutoConfiguration;
import dev.udsboot.test.NotifyReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watchdog pings from a real application to a {@code python3} receiver on {@code NOTIFY_SOCKET}:
 * their rate, {@code WATCHDOG_PID}, the switches, and pings stopping while the application is not
 * healthy (its listeners, or Actuator's aggregate health) and resuming when it is again.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdWatchdogTests {

	private static final long OWN_PID = ProcessHandle.current().pid();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String PING = "WATCHDOG=1";

	@TempDir
	Path dir;

	private NotifyReceiver receiver() {
		return NotifyReceiver.bind(this.dir.resolve("notify").toString());
	}

	@Test
	void pingsComeEveryHalfOfWatchdogUsecFromThisProcess() throws Exception {
		try (NotifyReceiver receiver = receiver()) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=400000", "--WATCHDOG_PID=" + OWN_PID)) {
				receiver.await(PING, WAIT);
				long before = receiver.count(PING);
				Thread.sleep(2000);
				long pings = receiver.count(PING) - before;
				// every 200 ms: 10 in 2 s, with room for a loaded machine
				assertThat(pings).isBetween(6L, 14L);
			}
			assertThat(receiver.notifications()).allSatisfy((notification) -> assertThat(notification.pid())
				.as("sender pid (SCM_CREDENTIALS)").isEqualTo(OWN_PID));
			assertThat(receiver.count("READY=1")).isEqualTo(1);
		}
	}

	@Test
	void noPingsWhenWatchdogPidIsAnotherProcess() throws Exception {
		try (NotifyReceiver receiver = receiver();
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
						"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000", "--WATCHDOG_PID=1")) {
			receiver.await("READY=1", WAIT);
			Thread.sleep(1000);
			assertThat(receiver.count(PING)).isZero();
			assertThat(context.getBeanProvider(SystemdWatchdog.class).getIfAvailable()).isNull();
		}
	}

	@Test
	void watchdogSwitchedOffLeavesReadiness() throws Exception {
		try (NotifyReceiver receiver = receiver()) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000",
					"--uds.systemd.watchdog.enabled=false")) {
				receiver.await("READY=1", WAIT);
				Thread.sleep(1000);
			}
			receiver.await("STOPPING=1", WAIT);
			assertThat(receiver.count(PING)).isZero();
		}
	}

	@Test
	void notifySwitchedOffLeavesTheWatchdog() {
		try (NotifyReceiver receiver = receiver()) {
			try (ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000",
					"--uds.systemd.notify.enabled=false")) {
				await().atMost(WAIT).until(() -> receiver.count(PING) >= 3);
			}
			assertThat(receiver.notifications()).allSatisfy((notification) -> assertThat(notification.data()).isEqualTo(PING));
		}
	}

	@Test
	void pingsStopOnceAListenersSocketFileIsDeletedWithOneWarnLine(CapturedOutput output) throws Exception {
		try (NotifyReceiver receiver = receiver();
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
						"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000")) {
			receiver.await(PING, WAIT);
			Files.delete(SystemdTestApplication.echoSocket(this.dir));
			await().atMost(WAIT).until(() -> output.getOut().contains("Stopped pinging systemd's watchdog"));
			long stoppedAt = receiver.count(PING);
			// 20 pings' time: none comes, and the line is not repeated
			Thread.sleep(1000);
			assertThat(receiver.count(PING)).isEqualTo(stoppedAt);
			assertThat(SystemdNotifyTests.warnLines(output, "Stopped pinging systemd's watchdog")).singleElement()
				.asString()
				.contains("the application is not healthy: listener 'echo' ("
						+ SystemdTestApplication.echoSocket(this.dir) + "): the socket file "
						+ SystemdTestApplication.echoSocket(this.dir) + " was deleted");
		}
	}

	@Test
	void withActuatorPingsFollowTheAggregateHealthDownAndUpAgain(CapturedOutput output) throws Exception {
		try (NotifyReceiver receiver = receiver();
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
						List.of(ActuatorConfiguration.class), "--NOTIFY_SOCKET=" + receiver.address(),
						"--WATCHDOG_USEC=100000")) {
			assertThat(context.getBeansOfType(HealthEndpoint.class)).hasSize(1);
			receiver.await(PING, WAIT);
			Switch health = context.getBean(Switch.class);
			health.up = false;
			await().atMost(WAIT).until(() -> output.getOut().contains("Stopped pinging systemd's watchdog"));
			long stoppedAt = receiver.count(PING);
			Thread.sleep(1000);
			assertThat(receiver.count(PING)).isEqualTo(stoppedAt);
			health.up = true;
			await().atMost(WAIT).until(() -> receiver.count(PING) > stoppedAt);
			assertThat(SystemdNotifyTests.warnLines(output, "Stopped pinging systemd's watchdog")).singleElement()
				.asString()
				.contains("the application's health is DOWN (switch DOWN)");
			assertThat(output.getOut().lines().filter((line) -> line.contains("Resumed pinging systemd's watchdog")))
				.hasSize(1);
		}
	}

	@Test
	void anApplicationThatRefusesTrafficIsStillAliveAndPinged(CapturedOutput output) throws Exception {
		try (NotifyReceiver receiver = receiver();
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
						List.of(ActuatorConfiguration.class, AvailabilityConfiguration.class),
						"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000",
						"--management.endpoint.health.probes.enabled=true")) {
			receiver.await(PING, WAIT);
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus().getCode())
				.as("readiness makes the aggregate health OUT_OF_SERVICE")
				.isEqualTo("OUT_OF_SERVICE");
			long refusingSince = receiver.count(PING);
			await().atMost(WAIT).until(() -> receiver.count(PING) >= refusingSince + 3);
			assertThat(output.getOut()).doesNotContain("Stopped pinging systemd's watchdog");
		}
	}

	@Test
	void theWatchdogThreadEndsWithTheContext() {
		try (NotifyReceiver receiver = receiver()) {
			ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir, List.of(),
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000");
			receiver.await(PING, WAIT);
			assertThat(watchdogThreads()).isEqualTo(1);
			context.close();
			// stop() waits for the thread: it is gone when close returns
			assertThat(watchdogThreads()).isZero();
			long afterClose = receiver.count(PING);
			await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
				.until(() -> receiver.count(PING) == afterClose);
		}
	}

	@Test
	void stopDoesNotWaitLongForAHealthCheckThatIgnoresInterrupts() throws Exception {
		CountDownLatch checking = new CountDownLatch(1);
		try (NotifyReceiver receiver = receiver()) {
			SystemdNotifier notifier = new SystemdNotifier(receiver.address());
			SystemdWatchdog watchdog = new SystemdWatchdog(notifier, Duration.ofMillis(10), () -> {
				checking.countDown();
				// a check stuck in I/O that does not answer interrupts
				long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
				while (System.nanoTime() < end) {
					LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
				}
				return null;
			});
			watchdog.start();
			assertThat(checking.await(10, TimeUnit.SECONDS)).isTrue();
			long start = System.nanoTime();
			watchdog.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			assertThat(watchdog.isRunning()).isFalse();
			notifier.close();
		}
		// a daemon, it ends with the check
		await().atMost(WAIT).until(() -> watchdogThreads() == 0);
	}

	@Test
	void anErrorFromTheHealthCheckIsOneErrorLineAndPingsResume(CapturedOutput output) {
		AtomicInteger checks = new AtomicInteger();
		try (NotifyReceiver receiver = receiver()) {
			SystemdNotifier notifier = new SystemdNotifier(receiver.address());
			SystemdWatchdog watchdog = new SystemdWatchdog(notifier, Duration.ofMillis(20), () -> {
				if (checks.incrementAndGet() <= 5) {
					throw new NoClassDefFoundError("dev/example/Missing");
				}
				return null;
			});
			watchdog.start();
			try {
				// an Error thrown out of a fixed-rate task would have ended it for good
				await().atMost(WAIT).until(() -> receiver.count(PING) >= 2);
			}
			finally {
				watchdog.stop();
				notifier.close();
			}
			assertThat(output.getOut().lines().filter((line) -> line.contains(" ERROR ") || line.contains("ERROR dev.")))
				.singleElement()
				.asString()
				.contains("Stopped pinging systemd's watchdog (WATCHDOG=1): the application is not healthy: "
						+ "the health check failed: java.lang.NoClassDefFoundError: dev/example/Missing");
			assertThat(output.getOut()).contains("Resumed pinging systemd's watchdog");
		}
	}

	@Test
	void inAContextHierarchyAChildThatIsNotHealthyStopsThePingsOfItsParent(CapturedOutput output) throws Exception {
		try (NotifyReceiver receiver = receiver()) {
			ConfigurableApplicationContext child = SystemdTestApplication.runAsChild(this.dir,
					"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000");
			// closing the parent closes the child
			try (ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent()) {
				assertThat(child.getBeanNamesForType(SystemdWatchdog.class)).hasSize(1);
				assertThat(parent.getBeanNamesForType(SystemdWatchdog.class)).hasSize(1);
				receiver.await(PING, WAIT);
				Files.delete(SystemdTestApplication.echoSocket(this.dir));
				await().atMost(WAIT).until(() -> output.getOut().contains("Stopped pinging systemd's watchdog"));
				long stoppedAt = receiver.count(PING);
				// the parent, which has no listeners, is healthy: alone it would ping on
				Thread.sleep(1000);
				assertThat(receiver.count(PING)).isEqualTo(stoppedAt);
			}
			assertThat(watchdogThreads()).isZero();
		}
	}

	private static long watchdogThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(SystemdWatchdog.THREAD_NAME) && thread.isAlive())
			.count();
	}

	@Test
	void anUnknownComponentDoesNotStopThePingsWhileTheApplicationRefusesTraffic(CapturedOutput output)
			throws Exception {
		try (NotifyReceiver receiver = receiver();
				ConfigurableApplicationContext context = SystemdTestApplication.run(this.dir,
						List.of(ActuatorConfiguration.class, AvailabilityConfiguration.class, Unknown.class),
						"--NOTIFY_SOCKET=" + receiver.address(), "--WATCHDOG_USEC=100000",
						"--management.endpoint.health.probes.enabled=true")) {
			receiver.await(PING, WAIT);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus().getCode()).isEqualTo("UP");
			AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
			long since = receiver.count(PING);
			await().atMost(WAIT).until(() -> receiver.count(PING) >= since + 3);
			assertThat(output.getOut()).doesNotContain("Stopped pinging systemd's watchdog");
		}
	}

	/** A health component whose status is UNKNOWN, which Actuator ranks below UP. */
	@Configuration(proxyBeanMethods = false)
	static class Unknown {

		@Bean
		HealthIndicator unknownHealthIndicator() {
			return () -> Health.unknown().build();
		}

	}

	/** Spring Boot's availability states and their health components (readinessState, livenessState). */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ApplicationAvailabilityAutoConfiguration.class,
			AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class })
	static class AvailabilityConfiguration {

	}

	/** Actuator's health endpoint, the {@code uds} health, and a health indicator a test switches. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
			HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
			UdsHealthContributorAutoConfiguration.class })
	static class ActuatorConfiguration {

		@Bean
		Switch switchHealthIndicator() {
			return new Switch();
		}

	}

	static class Switch implements HealthIndicator {

		volatile boolean up = true;

		@Override
		public Health health() {
			return this.up ? Health.up().build() : Health.down().build();
		}

	}

}
