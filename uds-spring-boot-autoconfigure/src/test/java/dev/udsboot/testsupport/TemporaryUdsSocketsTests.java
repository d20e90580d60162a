package dev.udsboot.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration;
import dev.udsboot.client.UdsTemplates;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.test.EchoHandlerConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TemporaryUdsSockets} on a real {@code @SpringBootTest}: the configured path is in a
 * directory that does not exist (the test would fail to start without the annotation), and the
 * listener answers on a temporary socket through the injected {@link UdsTemplates}.
 */
@SpringBootTest(classes = TemporaryUdsSocketsTests.Application.class,
		properties = "uds.listeners.echo.path=/run/uds-no-such-directory/echo.sock")
@TemporaryUdsSockets
// closed after the class: a cached context's listener would stay bound (and its socket file watched)
// while the module's other tests count threads and descriptors
@DirtiesContext
class TemporaryUdsSocketsTests {

	@Autowired
	UdsTemplates templates;

	@Autowired
	UdsListenerEndpointRegistry registry;

	@Test
	void theListenerAnswersOnATemporarySocket() {
		assertThat(this.templates.forListener("echo").sendAndReceive("hello", String.class)).isEqualTo("hello");
		Path path = socketPath(this.registry);
		assertThat(path.getParent().getFileName().toString()).startsWith("uds-test-");
		assertThat(path.getFileName()).hasToString("echo.sock");
		assertThat(Path.of("/run/uds-no-such-directory")).doesNotExist();
	}

	@Test
	void theDirectoryIsRemovedAfterTheListenersStopped() {
		Path path;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class, QuietHandler.class)
			.web(WebApplicationType.NONE)
			.properties("uds.listeners.echo.path=/run/uds-no-such-directory/echo.sock",
					"uds.listeners.quiet.abstract-name=quiet", "uds.management.path=/run/nothing/management.sock",
					"uds.listeners.[with.dot].path=/run/nothing/dotted.sock")
			.initializers((created) -> new TemporaryUdsSocketsContextCustomizer().customizeContext(created, null))
			.run()) {
			path = socketPath(context.getBean(UdsListenerEndpointRegistry.class));
			assertThat(path).exists();
			assertThat(context.getEnvironment().getProperty("uds.listeners.quiet.abstract-name")).startsWith("quiet-")
				.hasSizeGreaterThan("quiet-".length() + 30);
			assertThat(context.getEnvironment().getProperty("uds.management.path"))
				.isEqualTo(path.resolveSibling("management.sock").toString());
			UdsListenerContainer dotted = context.getBean(UdsListenerEndpointRegistry.class)
				.getListenerContainer("with.dot");
			assertThat(dotted).isNotNull();
			assertThat(dotted.getDefinition().udsAddress().path()).isEqualTo(path.resolveSibling("with.dot.sock"));
		}
		assertThat(Files.exists(path.getParent())).isFalse();
	}

	private static Path socketPath(UdsListenerEndpointRegistry registry) {
		UdsListenerContainer container = registry.getListenerContainer("echo");
		assertThat(container).isNotNull();
		Path path = container.getDefinition().udsAddress().path();
		assertThat(path).isNotNull();
		return path;
	}

	static class QuietHandler {

		@dev.udsboot.annotation.UdsHandler({ "quiet", "with.dot" })
		void ignore(String line) {
		}

	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
			UdsClientAutoConfiguration.class })
	@Import(EchoHandlerConfiguration.class)
	static class Application {

	}

}
