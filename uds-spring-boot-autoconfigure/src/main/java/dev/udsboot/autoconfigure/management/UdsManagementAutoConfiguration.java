package dev.udsboot.autoconfigure.management;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.apache.catalina.startup.Tomcat;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.management.ActuatorEndpointServlet;
import dev.udsboot.management.UdsManagementServer;

/**
 * Serves Actuator's exposed endpoints over {@code uds.management.path}, in a web application and
 * in a non-web one alike: the endpoints are discovered here, filtered by {@code
 * uds.management.exposure.*} (not by the web server's exposure), and served by an embedded Tomcat
 * of their own.
 */
@AutoConfiguration(after = { UdsAutoConfiguration.class, EndpointAutoConfiguration.class,
		HealthEndpointAutoConfiguration.class },
		afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration")
@ConditionalOnClass({ Tomcat.class, WebEndpointDiscoverer.class })
@Conditional(UdsManagementAutoConfiguration.OnManagementPath.class)
@EnableConfigurationProperties(UdsManagementProperties.class)
public final class UdsManagementAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UdsManagementServer udsManagementServer(UdsManagementProperties properties, ApplicationContext context,
			Environment environment, ParameterValueMapper parameterValueMapper,
			ObjectProvider<PathMapper> pathMappers, ObjectProvider<OperationInvokerAdvisor> invokerAdvisors,
			ObjectProvider<EndpointJsonMapper> endpointJsonMapper, ObjectProvider<JsonMapper> jsonMapper) {
		WebEndpointDiscoverer discoverer = new WebEndpointDiscoverer(context, parameterValueMapper,
				EndpointMediaTypes.DEFAULT, pathMappers.orderedStream().toList(), List.of(),
				invokerAdvisors.orderedStream().toList(),
				List.of(new UdsManagementExposure(environment).filter()),
				List.of());
		JsonMapper applicationMapper = jsonMapper.getIfAvailable(JsonMapper::new);
		JsonMapper mapper = endpointJsonMapper.stream()
			.map(EndpointJsonMapper::get)
			.findFirst()
			.orElse(applicationMapper);
		Function<Object, byte[]> json = mapper::writeValueAsBytes;
		// error bodies as the web port's error controller writes them: with the application's mapper
		Function<Object, byte[]> errorJson = applicationMapper::writeValueAsBytes;
		ActuatorEndpointServlet servlet = new ActuatorEndpointServlet(
				environment.getProperty("management.endpoints.web.base-path", "/actuator"), discoverer::getEndpoints,
				EndpointMediaTypes.DEFAULT, json, errorJson);
		return new UdsManagementServer(Path.of(java.util.Objects.requireNonNull(properties.getPath())),
				properties.toSocketFileOptions("uds.management."), servlet);
	}

	/**
	 * The health endpoint's web extension, which maps a DOWN health to HTTP 503, where the
	 * application's own web configuration did not create it or its reactive twin (a non-web
	 * application).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpointWebExtension.class)
	@ConditionalOnBean(HealthEndpoint.class)
	static class HealthWebExtensionConfiguration {

		@Bean
		@ConditionalOnMissingBean(type = { "org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension",
				"org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension" })
		HealthEndpointWebExtension udsManagementHealthEndpointWebExtension(HealthContributorRegistry registry,
				ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry, HealthEndpointGroups groups,
				HealthEndpointProperties properties) {
			return new HealthEndpointWebExtension(registry, reactiveRegistry.getIfAvailable(), groups,
					properties.getLogging().getSlowIndicatorThreshold());
		}

	}

	/** Matches when {@code uds.management.path} is set and not blank (blank turns it off). */
	static final class OnManagementPath extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty("uds.management.path"))
					? ConditionOutcome.match("uds.management.path is set")
					: ConditionOutcome.noMatch("uds.management.path is not set");
		}

	}

}
