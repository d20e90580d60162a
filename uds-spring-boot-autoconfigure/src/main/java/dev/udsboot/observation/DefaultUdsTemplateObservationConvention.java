package dev.udsboot.observation;

import io.micrometer.common.KeyValues;

import dev.udsboot.observation.UdsObservationDocumentation.MessageKeyNames;
import dev.udsboot.observation.UdsObservationDocumentation.TemplateKeyNames;

/**
 * The default names and key values of an observed template exchange: {@code uds.client.exchange},
 * tagged with the target, request-reply or one-way, and the outcome; a span named
 * {@code <target> send} with the request's size.
 */
public class DefaultUdsTemplateObservationConvention implements UdsTemplateObservationConvention {

	/** The Observation's name, and so the timer's. */
	public static final String NAME = "uds.client.exchange";

	/** The default convention. */
	public static final DefaultUdsTemplateObservationConvention INSTANCE = new DefaultUdsTemplateObservationConvention();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(UdsTemplateObservationContext context) {
		return context.getTarget() + " send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(UdsTemplateObservationContext context) {
		return KeyValues.of(TemplateKeyNames.TARGET.withValue(context.getTarget().toString()),
				TemplateKeyNames.EXCHANGE.withValue(context.awaitsReply() ? "request-reply" : "one-way"),
				TemplateKeyNames.OUTCOME.withValue(context.getOutcome().value()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(UdsTemplateObservationContext context) {
		return KeyValues.of(MessageKeyNames.MESSAGE_BYTES.withValue(Integer.toString(context.getPayloadBytes())));
	}

}
