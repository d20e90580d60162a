package dev.udsboot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.config.DefaultUdsListenerContainerFactory;
import dev.udsboot.config.UdsConfigUtils;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.socket.JunixsocketWorkarounds;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.test.EchoHandlerConfiguration;
import dev.udsboot.test.LineClient;

import static org.assertj.core.api.Assertions.assertThat;

class UdsAutoConfigurationTests {

	@TempDir
	Path dir;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void createsInfrastructureWithoutListeners() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(UdsListenerEndpointRegistry.class);
			assertThat(context).hasSingleBean(DefaultUdsListenerContainerFactory.class);
			assertThat(context).hasSingleBean(UdsMessageHandlerMethodFactory.class);
			assertThat(context).hasBean(UdsConfigUtils.UDS_HANDLER_ANNOTATION_PROCESSOR_BEAN_NAME);
			assertThat(context.getBean(UdsListenerEndpointRegistry.class).getListenerContainers()).isEmpty();
		});
	}

	@Test
	void handsTheAcceptedMissingWorkaroundsToTheSocketLayer() {
		this.runner.withPropertyValues("uds.accept-missing-workarounds=datagram-bind-guard").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(JunixsocketWorkarounds.Acceptance.class);
			assertThat(JunixsocketWorkarounds.acceptedMissing())
				.containsExactly(JunixsocketWorkarounds.Workaround.DATAGRAM_BIND_GUARD);
			this.runner.run((second) -> assertThat(JunixsocketWorkarounds.acceptedMissing())
				.as("a second context does not withdraw the first one's acceptance")
				.containsExactly(JunixsocketWorkarounds.Workaround.DATAGRAM_BIND_GUARD));
		});
		assertThat(JunixsocketWorkarounds.acceptedMissing()).as("withdrawn when its context closed").isEmpty();
	}

	@Test
	void anUnknownWorkaroundNameFailsStartup() {
		this.runner.withPropertyValues("uds.accept-missing-workarounds=no-such-workaround")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("uds.enabled=false", "uds.listeners.echo.path=" + this.dir.resolve("e.sock"))
			.withUserConfiguration(EchoHandlerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(UdsListenerEndpointRegistry.class);
				assertThat(context).doesNotHaveBean(DefaultUdsListenerContainerFactory.class);
				assertThat(this.dir.resolve("e.sock")).doesNotExist();
			});
	}

	@Test
	void backsOffWithoutJunixsocket() {
		this.runner.withClassLoader(new FilteredClassLoader(AFUNIXSocket.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(UdsListenerEndpointRegistry.class);
			assertThat(context).doesNotHaveBean(UdsProperties.class);
		});
	}

	@Test
	void usesUserContainerFactory() {
		this.runner.withUserConfiguration(UserFactoryConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DefaultUdsListenerContainerFactory.class);
			assertThat(context.getBean(UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME))
				.isSameAs(context.getBean(UserFactoryConfiguration.class).factory);
		});
	}

	@Test
	void usesUserHandlerMethodFactoryAndRegistry() {
		this.runner.withUserConfiguration(UserInfrastructureConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			UserInfrastructureConfiguration user = context.getBean(UserInfrastructureConfiguration.class);
			assertThat(context.getBean(UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME))
				.isSameAs(user.methodFactory);
			assertThat(context.getBean(UdsConfigUtils.UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME))
				.isSameAs(user.registry);
			assertThat(context).hasSingleBean(UdsListenerEndpointRegistry.class);
		});
	}

	@Test
	void appliesCustomizersInOrder() {
		this.runner.withUserConfiguration(CustomizerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(CustomizerConfiguration.class).calls).containsExactly("first", "second");
		});
	}

	@Test
	void servesConfiguredListenerAndRemovesSocketOnClose() {
		Path socket = this.dir.resolve("echo.sock");
		this.runner.withPropertyValues("uds.listeners.echo.path=" + socket)
			.withUserConfiguration(EchoHandlerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class)
					.getListenerContainer("echo");
				assertThat(container).isNotNull();
				assertThat(container.isRunning()).isTrue();
				try (LineClient client = LineClient.connect(container.getDefinition().udsAddress())) {
					assertThat(client.request("hi")).isEqualTo("hi");
				}
			});
		assertThat(socket).doesNotExist();
	}

	@Test
	void emptyPathDefersToAbstractName() {
		String name = "uds-test-" + System.nanoTime();
		this.runner.withPropertyValues("uds.listeners.echo.path=", "uds.listeners.echo.abstract-name=" + name)
			.withUserConfiguration(EchoHandlerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				UdsListenerContainer container = context.getBean(UdsListenerEndpointRegistry.class)
					.getListenerContainer("echo");
				assertThat(container.getDefinition().udsAddress().abstractName()).isEqualTo(name);
				try (LineClient client = LineClient.connect(container.getDefinition().udsAddress())) {
					assertThat(client.request("abstract")).isEqualTo("abstract");
				}
			});
	}

	@Test
	void handlersAreFoundWithLazyInitialization() throws Exception {
		Path socket = this.dir.resolve("lazy.sock");
		try (var context = new org.springframework.boot.builder.SpringApplicationBuilder(LazyApplication.class)
			.web(org.springframework.boot.WebApplicationType.NONE)
			.lazyInitialization(true)
			.properties("uds.listeners.echo.path=" + socket, "spring.main.banner-mode=off")
			.run();
				LineClient client = LineClient.connect(dev.udsboot.socket.UdsAddress.ofPath(socket))) {
			assertThat(client.request("lazy")).isEqualTo("lazy");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.EnableAutoConfiguration
	@org.springframework.context.annotation.Import(EchoHandlerConfiguration.class)
	static class LazyApplication {

	}

	@Test
	void propertyDefaultsMatchRuntimeDefaults() {
		UdsProperties.Listener listener = new UdsProperties.Listener();
		SocketFileOptions defaults = SocketFileOptions.defaults();
		assertThat(dev.udsboot.socket.FileModes.parse(listener.getFileMode())).isEqualTo(defaults.fileMode());
		assertThat(dev.udsboot.socket.FileModes.parse(listener.getDirectoryMode()))
			.isEqualTo(defaults.directoryMode());
		assertThat(listener.isCreateDirectories()).isEqualTo(defaults.createDirectories());
		assertThat(listener.getFileGroup()).isEqualTo(defaults.fileGroup());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserFactoryConfiguration {

		final DefaultUdsListenerContainerFactory factory = new DefaultUdsListenerContainerFactory();

		@Bean(name = UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME)
		DefaultUdsListenerContainerFactory udsListenerContainerFactory() {
			return this.factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserInfrastructureConfiguration {

		final UdsMessageHandlerMethodFactory methodFactory = UdsMessageHandlerMethodFactory
			.withJsonMapper(new tools.jackson.databind.json.JsonMapper());

		final UdsListenerEndpointRegistry registry = new UdsListenerEndpointRegistry();

		@Bean(name = UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME)
		UdsMessageHandlerMethodFactory udsMessageHandlerMethodFactory() {
			return this.methodFactory;
		}

		@Bean(name = UdsConfigUtils.UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME)
		UdsListenerEndpointRegistry udsListenerEndpointRegistry() {
			return this.registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final java.util.List<String> calls = new java.util.ArrayList<>();

		@Bean
		@org.springframework.core.annotation.Order(2)
		UdsListenerContainerFactoryCustomizer second() {
			return (factory) -> this.calls.add("second");
		}

		@Bean
		@org.springframework.core.annotation.Order(1)
		UdsListenerContainerFactoryCustomizer first() {
			return (factory) -> this.calls.add("first");
		}

	}

}
