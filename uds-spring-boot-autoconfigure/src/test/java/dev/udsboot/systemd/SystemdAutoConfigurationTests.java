package dev.udsboot.systemd;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.mock.env.MockEnvironment;

import dev.udsboot.autoconfigure.systemd.UdsSystemdAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conditions of the systemd auto-configuration: what {@code NOTIFY_SOCKET},
 * {@code WATCHDOG_USEC}, {@code WATCHDOG_PID} and {@code uds.systemd.*} switch on and off. The
 * variables are properties here, as they would be read from the process environment. The notify
 * socket is a path nothing can listen on: a watchdog started with these contexts pings nobody.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdAutoConfigurationTests {

	private static final long OWN_PID = ProcessHandle.current().pid();

	private static final String NOTIFY_SOCKET = "NOTIFY_SOCKET=/nonexistent/uds-test/notify";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UdsSystemdAutoConfiguration.class))
		// blank unless a test sets them: a build under systemd must not switch these tests
		.withPropertyValues("NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=");

	@Test
	void nothingWithoutNotifySocket() {
		this.runner.withPropertyValues("WATCHDOG_USEC=1000000").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(SystemdNotifier.class);
			assertThat(context).doesNotHaveBean(SystemdReadinessNotifier.class);
			assertThat(context).doesNotHaveBean(SystemdWatchdog.class);
		});
	}

	@Test
	void whileAotProcessedTheBeansAreThereAndDecideAtStartupThatSystemdIsAbsent(CapturedOutput output) {
		// the build machine has no NOTIFY_SOCKET; the application it builds may run under systemd
		this.runner.withSystemProperties(AbstractAotProcessor.AOT_PROCESSING + "=true").run((context) -> {
			assertThat(context).hasSingleBean(SystemdNotifier.class);
			assertThat(context).hasSingleBean(SystemdReadinessNotifier.class);
			assertThat(context).hasSingleBean(SystemdWatchdog.class);
			SystemdNotifier notifier = context.getBean(SystemdNotifier.class);
			assertThat(notifier.getNotifySocket()).isNull();
			assertThat(notifier.notify("WATCHDOG=1")).as("nothing is sent").isFalse();
			assertThat(context.getBean(SystemdWatchdog.class).isRunning()).as("no pings are expected").isFalse();
		});
		assertThat(output).doesNotContain("systemd");
	}

	@Test
	void readinessWithNotifySocketAndTheWatchdogOnlyWithWatchdogUsec() {
		this.runner.withPropertyValues(NOTIFY_SOCKET).run((context) -> {
			assertThat(context).hasSingleBean(SystemdNotifier.class);
			assertThat(context.getBean(SystemdNotifier.class).getNotifySocket()).isEqualTo("/nonexistent/uds-test/notify");
			assertThat(context).hasSingleBean(SystemdReadinessNotifier.class);
			assertThat(context).doesNotHaveBean(SystemdWatchdog.class);
		});
	}

	@Test
	void theWatchdogWhenWatchdogUsecIsSetForThisProcess() {
		this.runner.withPropertyValues(NOTIFY_SOCKET, "WATCHDOG_USEC=30000000", "WATCHDOG_PID=" + OWN_PID)
			.run((context) -> assertThat(context).hasSingleBean(SystemdWatchdog.class));
		this.runner.withPropertyValues(NOTIFY_SOCKET, "WATCHDOG_USEC=30000000")
			.run((context) -> assertThat(context).hasSingleBean(SystemdWatchdog.class));
	}

	@Test
	void noWatchdogForAnotherProcessOrAnInvalidTimeout() {
		for (String[] environment : new String[][] { { "WATCHDOG_USEC=30000000", "WATCHDOG_PID=1" },
				{ "WATCHDOG_USEC=0" }, { "WATCHDOG_USEC=soon" }, { "WATCHDOG_USEC=30000000", "WATCHDOG_PID=me" } }) {
			this.runner.withPropertyValues(NOTIFY_SOCKET).withPropertyValues(environment).run((context) -> {
				assertThat(context).as(String.join(" ", environment)).hasNotFailed();
				assertThat(context).as(String.join(" ", environment)).doesNotHaveBean(SystemdWatchdog.class);
				assertThat(context).hasSingleBean(SystemdReadinessNotifier.class);
			});
		}
	}

	@Test
	void eachPartSwitchesOff() {
		ApplicationContextRunner systemd = this.runner.withPropertyValues(NOTIFY_SOCKET,
				"WATCHDOG_USEC=30000000");
		systemd.withPropertyValues("uds.systemd.notify.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(SystemdReadinessNotifier.class);
			assertThat(context).hasSingleBean(SystemdWatchdog.class);
		});
		systemd.withPropertyValues("uds.systemd.watchdog.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(SystemdReadinessNotifier.class);
			assertThat(context).doesNotHaveBean(SystemdWatchdog.class);
		});
	}

	@Test
	void theWatchdogIntervalIsHalfTheTimeout() {
		MockEnvironment environment = new MockEnvironment().withProperty("WATCHDOG_USEC", "400000");
		SystemdEnvironment.Watchdog watchdog = SystemdEnvironment.watchdog(environment);
		assertThat(watchdog.timeout()).isEqualTo(Duration.ofMillis(400));
		assertThat(watchdog.interval()).isEqualTo(Duration.ofMillis(200));
		assertThat(SystemdEnvironment.watchdog(environment.withProperty("WATCHDOG_PID", "1")).reason())
			.isEqualTo("WATCHDOG_PID=1 is another process than this one (" + OWN_PID + ")");
	}

	@Test
	void aTimeoutAsLargeAsSystemdAcceptsPingsOnceADay() {
		// 2^63 - 1 and 2^64 - 2 microseconds: their nanoseconds overflow a long
		for (String usec : new String[] { "9223372036854775807", "18446744073709551614" }) {
			this.runner.withPropertyValues(NOTIFY_SOCKET, "WATCHDOG_USEC=" + usec).run((context) -> {
				assertThat(context).as(usec).hasNotFailed();
				assertThat(context).hasSingleBean(SystemdWatchdog.class);
				assertThat(context.getBean(SystemdWatchdog.class).isRunning()).isTrue();
			});
			assertThat(SystemdEnvironment.watchdog(new MockEnvironment().withProperty("WATCHDOG_USEC", usec)).interval())
				.isEqualTo(Duration.ofDays(1));
		}
		// 2^64 - 1 is USEC_INFINITY, which sd_watchdog_enabled(3) refuses
		assertThat(SystemdEnvironment.watchdog(new MockEnvironment().withProperty("WATCHDOG_USEC", "18446744073709551615"))
			.timeout()).isNull();
		assertThat(SystemdEnvironment.watchdog(new MockEnvironment().withProperty("WATCHDOG_USEC", "-5")).reason())
			.isEqualTo("WATCHDOG_USEC=-5 is not positive");
	}

}
