package dev.udsboot.test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;

/**
 * A handler for the listener named {@code echo} that replies with what it received, for tests of
 * configuration and lifecycle.
 */
@Configuration(proxyBeanMethods = false)
public class EchoHandlerConfiguration {

	@Bean
	Echo echo() {
		return new Echo();
	}

	/** Serves {@code echo}. */
	public static class Echo {

		@UdsHandler("echo")
		String echo(String line) {
			return line;
		}

	}

}
