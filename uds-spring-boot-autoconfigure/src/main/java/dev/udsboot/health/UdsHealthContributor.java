package dev.udsboot.health;

import java.time.Duration;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;

/**
 * The {@code uds} health contributor: one {@link UdsListenerHealthIndicator} per listener, by
 * listener name, read from the registry each time, so that it follows listeners as they are
 * registered.
 */
public class UdsHealthContributor implements CompositeHealthContributor {

	private final UdsListenerEndpointRegistry registry;

	private final Duration probeTimeout;

	/**
	 * Creates the contributor.
	 * @param registry the registry of listener containers
	 * @param probeTimeout how long a probe through a listener's socket may take
	 */
	public UdsHealthContributor(UdsListenerEndpointRegistry registry, Duration probeTimeout) {
		this.registry = registry;
		this.probeTimeout = probeTimeout;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		UdsListenerContainer container = this.registry.getListenerContainer(name);
		return (container != null) ? new UdsListenerHealthIndicator(container, this.probeTimeout) : null;
	}

	@Override
	public Stream<Entry> stream() {
		return this.registry.getListenerContainers()
			.entrySet()
			.stream()
			.map((entry) -> new Entry(entry.getKey(), new UdsListenerHealthIndicator(entry.getValue(), this.probeTimeout)));
	}

}
