package dev.udsboot.systemd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.systemd.UdsSystemdAutoConfiguration;
import dev.udsboot.test.EchoHandlerConfiguration;

/**
 * An application with two real listeners, {@code echo} (stream) and {@code events} (datagram),
 * run by {@link SpringApplication} (which publishes the readiness events a context runner does
 * not). systemd's variables are given as command-line arguments, which win over the process
 * environment, so that a build running under systemd does not leak its own into a test.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
		UdsSystemdAutoConfiguration.class })
@Import(EchoHandlerConfiguration.class)
class SystemdTestApplication {

	@Bean
	Events events() {
		return new Events();
	}

	/**
	 * Starts the application.
	 * @param dir where the listeners' sockets go
	 * @param configuration further configuration classes
	 * @param arguments {@code --NAME=value} arguments; {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}
	 * and {@code WATCHDOG_PID} are blank unless given
	 * @return the running context
	 */
	static ConfigurableApplicationContext run(Path dir, List<Class<?>> configuration, String... arguments) {
		List<Class<?>> sources = new ArrayList<>(List.of(SystemdTestApplication.class));
		sources.addAll(configuration);
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(WebApplicationType.NONE)
			.run(arguments(dir, arguments));
	}

	/**
	 * Starts the application as the child of a parent context that has the systemd
	 * auto-configuration and no listeners, as {@code SpringApplicationBuilder.child(...)} does.
	 * @param dir where the listeners' sockets go
	 * @param arguments as for {@link #run}, given to both contexts
	 * @return the running child context
	 */
	static ConfigurableApplicationContext runAsChild(Path dir, String... arguments) {
		return new SpringApplicationBuilder(Parent.class).web(WebApplicationType.NONE)
			.child(SystemdTestApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments(dir, arguments));
	}

	private static String[] arguments(Path dir, String... arguments) {
		// one argument per name: a name given twice would read as both values, comma-separated
		Map<String, String> all = new LinkedHashMap<>();
		for (String argument : List.of("--NOTIFY_SOCKET=", "--WATCHDOG_USEC=", "--WATCHDOG_PID=",
				"--uds.listeners.echo.path=" + echoSocket(dir), "--uds.listeners.events.type=datagram",
				"--uds.listeners.events.path=" + dir.resolve("events.sock"), "--spring.main.banner-mode=off")) {
			all.put(argument.substring(0, argument.indexOf('=')), argument);
		}
		for (String argument : arguments) {
			all.put(argument.substring(0, argument.indexOf('=')), argument);
		}
		return all.values().toArray(String[]::new);
	}

	static Path echoSocket(Path dir) {
		return dir.resolve("echo.sock");
	}

	static String status(Path dir) {
		return "Serving echo (" + echoSocket(dir) + "), events (" + dir.resolve("events.sock") + ")";
	}

	/** A parent context with the systemd auto-configuration and no listeners of its own. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(UdsSystemdAutoConfiguration.class)
	static class Parent {

	}

	/** Serves {@code events}. */
	static class Events {

		@UdsHandler("events")
		void event(String event) {
		}

	}

}
