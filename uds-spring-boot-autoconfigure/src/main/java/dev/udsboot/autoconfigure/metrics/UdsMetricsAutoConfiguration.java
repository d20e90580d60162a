package dev.udsboot.autoconfigure.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.UdsProperties;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.metrics.UdsListenerMetrics;

/**
 * Registers the listeners' meters as a {@link MeterBinder} when Micrometer is present; Spring
 * Boot's metrics auto-configuration binds it to every meter registry.
 */
@AutoConfiguration(after = UdsAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(UdsListenerEndpointRegistry.class)
public final class UdsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UdsListenerMetrics udsListenerMetrics(UdsListenerEndpointRegistry registry,
			ObjectProvider<UdsProperties> properties) {
		Map<String, UdsListenerType> listeners = new LinkedHashMap<>();
		properties.ifAvailable((uds) -> uds.getListeners()
			.forEach((name, listener) -> listeners.put(name, listener.getType())));
		return new UdsListenerMetrics(registry, listeners);
	}

}
