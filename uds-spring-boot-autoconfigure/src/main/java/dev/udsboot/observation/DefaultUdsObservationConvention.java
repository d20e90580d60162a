package dev.udsboot.observation;

import java.util.Locale;

import io.micrometer.common.KeyValues;

import dev.udsboot.observation.UdsObservationDocumentation.ListenerKeyNames;
import dev.udsboot.observation.UdsObservationDocumentation.MessageKeyNames;

/**
 * The default names and key values of an observed message: {@code uds.message}, tagged with the
 * listener, its type and the outcome; a span named {@code <listener> receive} with the payload's
 * size.
 */
public class DefaultUdsObservationConvention implements UdsObservationConvention {

	/** The Observation's name, and so the timer's. */
	public static final String NAME = "uds.message";

	/** The default convention. */
	public static final DefaultUdsObservationConvention INSTANCE = new DefaultUdsObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(UdsMessageObservationContext context) {
		return context.getListenerName() + " receive";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(UdsMessageObservationContext context) {
		return KeyValues.of(ListenerKeyNames.LISTENER.withValue(context.getListenerName()),
				ListenerKeyNames.TYPE.withValue(context.getListenerType().name().toLowerCase(Locale.ROOT)),
				ListenerKeyNames.OUTCOME.withValue(context.getOutcome().value()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(UdsMessageObservationContext context) {
		return KeyValues.of(MessageKeyNames.MESSAGE_BYTES.withValue(Integer.toString(context.getPayloadBytes())));
	}

}
