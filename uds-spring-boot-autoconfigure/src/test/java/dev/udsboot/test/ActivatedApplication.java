package dev.udsboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;

/**
 * A small application run as a child process under {@code systemd-socket-activate}, for tests of
 * socket activation from inside the process: {@code echo} (stream, line) and {@code events}
 * (datagram, answers {@code ACK <payload>}) take the sockets passed to it; {@code control}
 * (stream, its own socket) answers {@code restart} by stopping and starting the other two,
 * {@code stop echo} and {@code start echo}, {@code events received} with the count of datagrams
 * the {@code events} listener received,
 * {@code fds} with this process's open descriptors ({@code 3=socket:[123] 4=…}), and
 * {@code child} with what a {@code python3} child process sees of the activation: its
 * {@code LISTEN_PID} and which of its descriptors are sockets. Its only argument is the
 * directory of the sockets.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ActivatedApplication {

	public static void main(String[] args) {
		Path dir = Path.of(args[0]);
		new SpringApplicationBuilder(ActivatedApplication.class).properties("spring.main.banner-mode=off",
				"spring.main.web-application-type=none", "uds.listeners.echo.path=" + dir.resolve("echo.sock"),
				"uds.listeners.events.path=" + dir.resolve("events.sock"), "uds.listeners.events.type=datagram",
				"uds.listeners.events.activation=required", "uds.listeners.control.path=" + dir.resolve("control.sock"),
				"uds.listeners.control.activation=off")
			.run(args);
	}

	@Bean
	Handlers handlers(UdsListenerEndpointRegistry registry) {
		return new Handlers(registry);
	}

	/** Prints what a child process sees: its LISTEN_PID, its parent, and which of its descriptors are sockets. */
	private static final String CHILD_SCRIPT = """
			import os
			sockets = []
			for fd in os.listdir('/proc/self/fd'):
			    try:
			        if os.readlink('/proc/self/fd/' + fd).startswith('socket:'):
			            sockets.append(fd)
			    except OSError:
			        pass
			print('LISTEN_PID=%s parent=%d sockets=%s'
			      % (os.environ.get('LISTEN_PID'), os.getppid(), ','.join(sorted(sockets)) or 'none'))
			""";

	/** The handlers. */
	public static class Handlers {

		private final UdsListenerEndpointRegistry registry;

		Handlers(UdsListenerEndpointRegistry registry) {
			this.registry = registry;
		}

		@UdsHandler("echo")
		public String echo(String line) {
			return line;
		}

		@UdsHandler("events")
		public String events(String payload) {
			return "ACK " + payload;
		}

		@UdsHandler("control")
		public String control(String command) throws Exception {
			return switch (command) {
				case "restart" -> restart();
				case "stop echo" -> stop(container("echo"));
				case "start echo" -> start(container("echo"));
				case "events received" -> Long.toString(container("events").getStatistics().messagesReceived());
				case "fds" -> descriptors();
				case "child" -> child();
				default -> "unknown command " + command;
			};
		}

		private String restart() throws InterruptedException {
			for (String name : new String[] { "echo", "events" }) {
				String stopped = stop(container(name));
				if (!stopped.equals("stopped")) {
					return stopped;
				}
				start(container(name));
			}
			return "restarted";
		}

		private UdsListenerContainer container(String name) {
			return Objects.requireNonNull(this.registry.getListenerContainer(name), name);
		}

		private static String stop(UdsListenerContainer container) throws InterruptedException {
			CountDownLatch stopped = new CountDownLatch(1);
			container.stop(stopped::countDown);
			return stopped.await(30, TimeUnit.SECONDS) ? "stopped" : "did not stop: " + container.getDefinition().name();
		}

		private static String start(UdsListenerContainer container) {
			container.start();
			return "started";
		}

		private static String descriptors() throws IOException {
			try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
				return fds.map((fd) -> fd.getFileName() + "=" + target(fd))
					.sorted()
					.collect(Collectors.joining(" "));
			}
		}

		private static String target(Path fd) {
			try {
				return Files.readSymbolicLink(fd).toString();
			}
			catch (IOException ex) {
				return "gone";
			}
		}

		private static String child() throws Exception {
			Process python = new ProcessBuilder(RequiredTools.require("python3"), "-c", CHILD_SCRIPT)
				.redirectErrorStream(true)
				.start();
			String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			python.waitFor(30, TimeUnit.SECONDS);
			return output;
		}

	}

}
