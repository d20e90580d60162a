package dev.udsboot.config;

import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.api.UdsListenerErrorHandler;
import dev.udsboot.listener.datagram.DatagramListenerContainer;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.listener.stream.StreamListenerContainer;
import dev.udsboot.observation.ObservedMessageListener;
import dev.udsboot.observation.UdsObservationConvention;

/**
 * The container factory: stream and TCP listeners get a {@link StreamListenerContainer}, datagram
 * listeners a {@link DatagramListenerContainer}.
 */
public class DefaultUdsListenerContainerFactory implements UdsListenerContainerFactory {

	private @Nullable UdsListenerErrorHandler errorHandler;

	private Duration threadKeepAlive = Duration.ofSeconds(10);

	private @Nullable ObservationRegistry observationRegistry;

	private @Nullable UdsObservationConvention observationConvention;

	/**
	 * Sets the error handler for endpoints that name none.
	 * @param errorHandler the error handler, or {@code null} for
	 * {@link dev.udsboot.listener.api.DefaultUdsListenerErrorHandler}
	 */
	public void setErrorHandler(@Nullable UdsListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Sets where the Observations of the listeners whose observation is enabled go.
	 * @param observationRegistry the registry, or {@code null} to observe nothing
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Replaces the default names and key values of the messages' Observations.
	 * @param observationConvention the convention, or {@code null} for
	 * {@link dev.udsboot.observation.DefaultUdsObservationConvention}
	 */
	public void setObservationConvention(@Nullable UdsObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Sets how long an idle connection thread is kept for the next connection.
	 * @param threadKeepAlive the keep-alive, default 10 seconds
	 */
	public void setThreadKeepAlive(Duration threadKeepAlive) {
		this.threadKeepAlive = threadKeepAlive;
	}

	@Override
	public UdsListenerContainer createListenerContainer(UdsListenerDefinition definition, ListenerSocketSource source,
			UdsListenerEndpoint endpoint) {
		UdsMessageListener listener = endpoint.createMessageListener(definition, this.errorHandler);
		ObservationRegistry observations = this.observationRegistry;
		if (definition.observationEnabled() && observations != null && !observations.isNoop()) {
			listener = new ObservedMessageListener(listener, definition, observations, this.observationConvention);
		}
		return switch (definition.type()) {
			case STREAM, TCP -> new StreamListenerContainer(definition, source, listener, this.threadKeepAlive);
			case DATAGRAM -> new DatagramListenerContainer(definition, source, listener);
		};
	}

}
