package dev.udsboot.autoconfigure.client;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.client.UdsTemplateBuilder;
import dev.udsboot.client.UdsTemplates;
import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.invocation.UdsMessageConverters;
import dev.udsboot.observation.UdsTemplateObservationConvention;

/**
 * The client half: a {@link UdsTemplateBuilder} per injection point, preset from
 * {@code uds.client.*} and converting JSON with the application's {@link JsonMapper}, and the
 * {@link UdsTemplates} of this application's listeners.
 */
@AutoConfiguration(after = UdsAutoConfiguration.class)
@EnableConfigurationProperties(UdsClientProperties.class)
public final class UdsClientAutoConfiguration {

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	@ConditionalOnMissingBean
	UdsTemplateBuilder udsTemplateBuilder(UdsClientProperties properties, ObjectProvider<JsonMapper> jsonMapper,
			Environment environment, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<UdsTemplateObservationConvention> observationConvention) {
		boolean observed = environment.getProperty("uds.observations.enabled", Boolean.class, false);
		// the values were checked at startup (UdsClientProperties#afterPropertiesSet)
		return new UdsTemplateBuilder().framing(properties.getFraming())
			.observationRegistry(observed ? observationRegistry.getIfUnique() : null)
			.observationConvention(observationConvention.getIfUnique())
			.maxMessageSize((int) properties.getMaxMessageSize().toBytes())
			.timeout(properties.getTimeout())
			.mode(properties.getMode())
			.maxConnections(properties.getMaxConnections())
			.validateAfterInactivity(properties.getValidateAfterInactivity())
			.maxFileDescriptors(properties.getMaxFileDescriptors())
			.charset(properties.getCharset())
			.messageConverter(UdsMessageConverters.create(jsonMapper.getIfAvailable(JsonMapper::new)));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(UdsListenerDefinitions.class)
	UdsTemplates udsTemplates(UdsListenerDefinitions listeners, ObjectProvider<UdsListenerEndpointRegistry> registry,
			ObjectProvider<UdsTemplateBuilder> builders) {
		return new UdsTemplates(listeners, (name) -> {
			UdsListenerEndpointRegistry containers = registry.getIfAvailable();
			return (containers != null) ? containers.getListenerContainer(name) : null;
		}, builders::getObject);
	}

}
