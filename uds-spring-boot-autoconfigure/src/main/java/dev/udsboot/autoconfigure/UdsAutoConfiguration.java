package dev.udsboot.autoconfigure;

import java.nio.file.Path;

import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.newsclub.net.unix.AFUNIXSocket;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.annotation.EnableUds;
import dev.udsboot.annotation.UdsHandlerAnnotationBeanPostProcessor;
import dev.udsboot.config.DefaultUdsListenerContainerFactory;
import dev.udsboot.config.SocketActivation;
import dev.udsboot.config.UdsConfigUtils;
import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.observation.UdsObservationConvention;
import dev.udsboot.socket.JunixsocketWorkarounds;
import dev.udsboot.socket.PassedSockets;

/**
 * Auto-configuration of Unix domain socket listeners: the listeners of {@code uds.listeners.*},
 * the container factory, payload conversion with Spring Boot's {@link JsonMapper}, and
 * {@code @UdsHandler} processing.
 * Off with {@code uds.enabled=false}.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class)
@ConditionalOnClass(AFUNIXSocket.class)
@ConditionalOnBooleanProperty(name = "uds.enabled", matchIfMissing = true)
@EnableConfigurationProperties(UdsProperties.class)
public final class UdsAutoConfiguration {

	private static final Log logger = LogFactory.getLog(UdsAutoConfiguration.class);

	@Bean(name = UdsConfigUtils.UDS_LISTENER_DEFINITIONS_BEAN_NAME)
	@ConditionalOnMissingBean
	UdsListenerDefinitions udsListenerDefinitions(UdsProperties properties, ObjectProvider<SslBundles> sslBundles) {
		return PropertiesListenerDefinitions.from(properties, sslBundles.getIfAvailable());
	}

	/**
	 * Assigns the sockets systemd passed (socket activation) to the listeners; a listener that is
	 * passed none binds its own. Reads {@code LISTEN_PID}, {@code LISTEN_FDS} and
	 * {@code LISTEN_FDNAMES} through the environment, where the process's variables are.
	 */
	@Bean
	@ConditionalOnMissingBean
	SocketActivation udsSocketActivation(UdsListenerDefinitions definitions, Environment environment) {
		String management = environment.getProperty("uds.management.path");
		return SocketActivation.assign(PassedSockets.from(environment::getProperty), definitions,
				(management != null) ? Path.of(management) : null);
	}

	@Bean(name = UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME)
	DefaultUdsListenerContainerFactory udsListenerContainerFactory(
			ObjectProvider<UdsListenerContainerFactoryCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<UdsObservationConvention> observationConvention, Environment environment) {
		if (Threading.VIRTUAL.isActive(environment)) {
			logger.info("spring.threads.virtual.enabled is true, but the uds listeners read their connections on "
					+ "platform threads: on virtual threads junixsocket's blocking reads cost three to four times "
					+ "the CPU per message (docs/runtime.md, \"Stream listeners: threads and I/O\")");
		}
		DefaultUdsListenerContainerFactory factory = new DefaultUdsListenerContainerFactory();
		// used by the listeners whose observation is enabled (uds.observations.enabled)
		factory.setObservationRegistry(observationRegistry.getIfUnique());
		factory.setObservationConvention(observationConvention.getIfUnique());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(factory));
		return factory;
	}

	@Bean(name = UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME)
	UdsMessageHandlerMethodFactory udsMessageHandlerMethodFactory(ObjectProvider<JsonMapper> jsonMapper) {
		return UdsMessageHandlerMethodFactory.withJsonMapper(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	/**
	 * Hands {@code uds.accept-missing-workarounds} to the socket layer, which cannot read the
	 * environment, for as long as this context runs (the acceptance is closed with it), and logs
	 * the one line saying which junixsocket workarounds are active (once per JVM). A bean rather
	 * than part of the container factory, so that a factory of the application's own does not
	 * lose it.
	 */
	@Bean
	JunixsocketWorkarounds.Acceptance udsAcceptedMissingWorkarounds(UdsProperties properties) {
		JunixsocketWorkarounds.Acceptance acceptance = JunixsocketWorkarounds
			.acceptMissing(properties.getAcceptMissingWorkarounds());
		JunixsocketWorkarounds.logOnce();
		return acceptance;
	}

	@Bean
	static LazyInitializationExcludeFilter udsJunixsocketWorkaroundsLazyInitializationExcludeFilter() {
		// with spring.main.lazy-initialization, the acceptance must still be set before listeners bind
		return LazyInitializationExcludeFilter.forBeanTypes(JunixsocketWorkarounds.Acceptance.class);
	}

	@Bean
	static LazyInitializationExcludeFilter udsHandlerLazyInitializationExcludeFilter() {
		// with spring.main.lazy-initialization, beans holding handlers must still be created
		return (beanName, definition, beanType) -> UdsHandlerAnnotationBeanPostProcessor.hasHandlerMethods(beanType);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableUds
	@ConditionalOnMissingBean(name = UdsConfigUtils.UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME)
	static class EnableUdsConfiguration {

	}

}
