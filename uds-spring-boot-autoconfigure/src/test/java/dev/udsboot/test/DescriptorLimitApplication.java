package dev.udsboot.test;

import java.io.FileDescriptor;
import java.nio.file.Path;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.health.UdsHealthContributor;

/**
 * A small application run as a child process under a low open-files limit ({@code prlimit}), for
 * tests of what the listeners do when the process runs out of descriptors: {@code echo} (stream,
 * line) echoes, {@code stats} (stream) answers any line with the shed-connections meter of
 * {@code echo} and its health, and {@code files} (datagram) answers how many descriptors a
 * datagram carried. While it runs, it prints {@code HEALTH <status> <reason>} to standard output
 * each time the health of {@code echo} changes (checked every {@value #HEALTH_CHECK_MILLIS} ms).
 * Its only argument is the directory of the sockets.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class DescriptorLimitApplication {

	static final long HEALTH_CHECK_MILLIS = 250;

	public static void main(String[] args) {
		Path dir = Path.of(args[0]);
		new SpringApplicationBuilder(DescriptorLimitApplication.class).properties(
				"spring.main.banner-mode=off", "spring.main.web-application-type=none",
				"uds.listeners.echo.path=" + dir.resolve("echo.sock"),
				"uds.listeners.stats.path=" + dir.resolve("stats.sock"),
				"uds.listeners.files.path=" + dir.resolve("files.sock"), "uds.listeners.files.type=datagram")
			.run(args);
	}

	@Bean
	Handlers handlers(MeterRegistry meters, UdsHealthContributor health) {
		return new Handlers(meters, health);
	}

	@Bean
	ApplicationRunner healthPrinter(UdsHealthContributor health) {
		return (args) -> {
			Thread printer = new Thread(() -> printHealthChanges(health), "health-printer");
			printer.setDaemon(true);
			printer.start();
		};
	}

	private static void printHealthChanges(CompositeHealthContributor health) {
		String last = "";
		while (true) {
			Health now = echoHealth(health);
			String line = "HEALTH " + now.getStatus() + " " + now.getDetails().getOrDefault("reason", "");
			if (!line.equals(last)) {
				System.out.println(line);
				last = line;
			}
			try {
				Thread.sleep(HEALTH_CHECK_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	static Health echoHealth(CompositeHealthContributor health) {
		return ((HealthIndicator) Objects.requireNonNull(health.getContributor("echo"))).health();
	}

	/** The application's handlers. */
	public static class Handlers {

		private final MeterRegistry meters;

		private final UdsHealthContributor health;

		Handlers(MeterRegistry meters, UdsHealthContributor health) {
			this.meters = meters;
			this.health = health;
		}

		@UdsHandler("echo")
		String echo(String line) {
			return line;
		}

		@UdsHandler("stats")
		String stats(String line) {
			double shed = this.meters.get("uds.connections.shed").tag("listener", "echo").functionCounter().count();
			return "shed=" + (long) shed + " health=" + echoHealth(this.health).getStatus();
		}

		@UdsHandler("files")
		String files(byte[] payload, FileDescriptor[] descriptors) {
			return "descriptors=" + descriptors.length;
		}

	}

}
