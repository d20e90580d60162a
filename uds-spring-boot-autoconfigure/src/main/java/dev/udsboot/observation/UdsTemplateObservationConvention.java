package dev.udsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observed template exchange and gives it key values; one given to a template's builder
 * replaces {@link DefaultUdsTemplateObservationConvention}.
 */
public interface UdsTemplateObservationConvention extends ObservationConvention<UdsTemplateObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof UdsTemplateObservationContext;
	}

}
