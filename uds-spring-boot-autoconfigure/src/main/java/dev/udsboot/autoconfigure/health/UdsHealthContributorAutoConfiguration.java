package dev.udsboot.autoconfigure.health;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.health.UdsHealthContributor;

/**
 * Registers the {@code uds} health contributor when Spring Boot's health module is present and
 * {@code management.health.uds.enabled} is not {@code false}.
 */
@AutoConfiguration(after = UdsAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(UdsListenerEndpointRegistry.class)
@ConditionalOnEnabledHealthIndicator("uds")
@EnableConfigurationProperties(UdsHealthIndicatorProperties.class)
public final class UdsHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "udsHealthContributor")
	UdsHealthContributor udsHealthContributor(UdsListenerEndpointRegistry registry,
			UdsHealthIndicatorProperties properties) {
		return new UdsHealthContributor(registry, properties.getProbeTimeout());
	}

}
