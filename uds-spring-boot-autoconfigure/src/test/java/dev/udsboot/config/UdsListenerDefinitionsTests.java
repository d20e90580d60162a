package dev.udsboot.config;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration;
import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.EchoHandlerConfiguration;
import dev.udsboot.test.LineClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own {@link UdsListenerDefinitions} bean replaces the auto-configured one.
 */
class UdsListenerDefinitionsTests {

	@TempDir
	static Path dir;

	@Test
	void anApplicationsOwnCatalogueUnderAnotherNameIsUsedOrRefused() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, UdsClientAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withUserConfiguration(EchoHandlerConfiguration.class, OwnCatalogue.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (LineClient client = LineClient.connect(UdsAddress.ofPath(dir.resolve("own.sock")))) {
					assertThat(client.request("hi")).isEqualTo("hi");
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnCatalogue {

		@Bean
		UdsListenerDefinitions myListeners() {
			return UdsListenerDefinitions.of(List.of(UdsListenerDefaults.definition("echo",
					UdsAddress.ofPath(dir.resolve("own.sock")))));
		}

	}

}
