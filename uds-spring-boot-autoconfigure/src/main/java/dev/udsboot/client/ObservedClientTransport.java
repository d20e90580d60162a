package dev.udsboot.client;

import java.io.FileDescriptor;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.udsboot.client.StreamClientConnection.Reply;
import dev.udsboot.observation.DefaultUdsTemplateObservationConvention;
import dev.udsboot.observation.ObservedCall;
import dev.udsboot.observation.UdsObservationDocumentation;
import dev.udsboot.observation.UdsTemplateObservationContext;
import dev.udsboot.observation.UdsTemplateObservationConvention;
import dev.udsboot.socket.ListenerAddress;

/**
 * A template's transport, each exchange observed: from the request's sending to the reply's
 * arrival (or the send's return, one way). A failure of the exchange is its error; a reply the
 * template cannot convert is the caller's, after the exchange.
 */
final class ObservedClientTransport implements ClientTransport {

	private final ClientTransport delegate;

	private final ListenerAddress target;

	private final ObservationRegistry registry;

	private final @Nullable UdsTemplateObservationConvention convention;

	ObservedClientTransport(ClientTransport delegate, ListenerAddress target, ObservationRegistry registry,
			@Nullable UdsTemplateObservationConvention convention) {
		this.delegate = delegate;
		this.target = target;
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public @Nullable Reply exchange(byte[] payload, List<FileDescriptor> descriptors, boolean awaitReply) {
		UdsTemplateObservationContext context = new UdsTemplateObservationContext(this.target, awaitReply,
				payload.length);
		Observation observation = UdsObservationDocumentation.TEMPLATE_EXCHANGE.observation(this.convention,
				DefaultUdsTemplateObservationConvention.INSTANCE, () -> context, this.registry);
		// a request the template refuses (descriptors for a TCP target, say) is the caller's mistake
		return ObservedCall.run(observation, context::setOutcome, IllegalArgumentException.class::isInstance,
				() -> this.delegate.exchange(payload, descriptors, awaitReply));
	}

	@Override
	public void close() {
		this.delegate.close();
	}

}
