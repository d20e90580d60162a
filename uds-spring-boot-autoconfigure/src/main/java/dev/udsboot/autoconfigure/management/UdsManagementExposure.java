package dev.udsboot.autoconfigure.management;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.EndpointExposureOutcomeContributor;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.core.env.Environment;

/**
 * Which endpoints {@code uds.management.path} serves: {@code uds.management.exposure.include}
 * (default {@code health}) less {@code uds.management.exposure.exclude}. Also loaded by Spring
 * Boot (from {@code spring.factories}) when it decides which endpoints are available at all, so
 * that an endpoint exposed only over the socket still exists.
 */
public final class UdsManagementExposure implements EndpointExposureOutcomeContributor {

	/** Prefix of the exposure properties. */
	static final String PREFIX = "uds.management.exposure";

	private final @Nullable String path;

	private final IncludeExcludeEndpointFilter<ExposableWebEndpoint> filter;

	/**
	 * Reads the exposure properties.
	 * @param environment the environment
	 */
	public UdsManagementExposure(Environment environment) {
		this.path = environment.getProperty("uds.management.path");
		this.filter = new IncludeExcludeEndpointFilter<>(ExposableWebEndpoint.class, environment, PREFIX, "health");
	}

	/**
	 * Returns the filter of the endpoints the socket serves.
	 * @return the filter
	 */
	IncludeExcludeEndpointFilter<ExposableWebEndpoint> filter() {
		return this.filter;
	}

	@Override
	public @Nullable ConditionOutcome getExposureOutcome(EndpointId endpointId, java.util.Set<EndpointExposure> exposures,
			ConditionMessage.Builder message) {
		if (this.path != null && !this.path.isBlank() && this.filter.match(endpointId)) {
			return ConditionOutcome.match(message.because("exposed over uds.management.path"));
		}
		return null;
	}

}
