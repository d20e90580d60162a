package dev.udsboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an observed message and gives it key values; a bean of this type replaces
 * {@link DefaultUdsObservationConvention} (extend that to add to its key values).
 */
public interface UdsObservationConvention extends ObservationConvention<UdsMessageObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof UdsMessageObservationContext;
	}

}
