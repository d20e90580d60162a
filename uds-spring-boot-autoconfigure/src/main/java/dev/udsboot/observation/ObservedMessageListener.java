package dev.udsboot.observation;

import java.io.FileDescriptor;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.listener.exception.UdsInvalidRequestException;

/**
 * A listener's message listener, each message observed: the handler runs in the Observation's
 * scope (so Micrometer Tracing makes it a span, and the handler's own calls its children), and
 * the outcome is what the handler's call ended in. As in spring-kafka, an exception the
 * listener's error handler turns into a reply is that reply: a success.
 */
public final class ObservedMessageListener implements UdsMessageListener {

	private final UdsMessageListener delegate;

	private final UdsListenerDefinition definition;

	private final ObservationRegistry registry;

	private final @Nullable UdsObservationConvention convention;

	/**
	 * Observes a listener's messages.
	 * @param delegate the message listener
	 * @param definition its listener
	 * @param registry where Observations go
	 * @param convention the application's convention, or {@code null} for the default
	 */
	public ObservedMessageListener(UdsMessageListener delegate, UdsListenerDefinition definition,
			ObservationRegistry registry, @Nullable UdsObservationConvention convention) {
		this.delegate = delegate;
		this.definition = definition;
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer) {
		return observe(payload, peer, () -> this.delegate.onMessage(payload, peer));
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, List<FileDescriptor> descriptors, UdsPeer peer) {
		return observe(payload, peer, () -> this.delegate.onMessage(payload, descriptors, peer));
	}

	private @Nullable EncodedReply observe(byte[] payload, UdsPeer peer, Supplier<@Nullable EncodedReply> handling) {
		UdsMessageObservationContext context = new UdsMessageObservationContext(this.definition.name(),
				this.definition.type(), peer, payload.length);
		Observation observation = UdsObservationDocumentation.LISTENER_MESSAGE.observation(this.convention,
				DefaultUdsObservationConvention.INSTANCE, () -> context, this.registry);
		return ObservedCall.run(observation, context::setOutcome, UdsInvalidRequestException.class::isInstance,
				handling);
	}

	@Override
	public boolean acceptsFileDescriptors() {
		return this.delegate.acceptsFileDescriptors();
	}

	@Override
	public void onConnectionOpened(UdsSession session) {
		this.delegate.onConnectionOpened(session);
	}

	@Override
	public void onConnectionClosed(UdsSession session) {
		this.delegate.onConnectionClosed(session);
	}

}
