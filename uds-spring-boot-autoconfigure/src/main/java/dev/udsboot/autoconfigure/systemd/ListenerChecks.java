package dev.udsboot.autoconfigure.systemd;

import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.health.ListenerSocketCheck;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.systemd.ServiceCheck;

/**
 * What the listeners of the endpoint registry tell systemd: whether they all accept (readiness),
 * whether they all still serve on their own sockets (health, where Actuator is absent), and what
 * they serve ({@code STATUS=}). An application without the registry ({@code uds.enabled=false})
 * has no listeners to wait for.
 */
final class ListenerChecks {

	private final ObjectProvider<UdsListenerEndpointRegistry> registry;

	ListenerChecks(ObjectProvider<UdsListenerEndpointRegistry> registry) {
		this.registry = registry;
	}

	/** Passes when every registered container is running, so its socket is bound and listening. */
	ServiceCheck allAccepting() {
		return () -> firstProblem((container) -> container.isRunning() ? null : "the listener is not running");
	}

	/** Passes while every container runs on the socket it bound (the {@code uds} health without its probes). */
	ServiceCheck allServing() {
		return () -> firstProblem(ListenerSocketCheck::problem);
	}

	/** {@code Serving echo (/run/app/echo.sock), events (/run/app/events.sock)}. */
	String status() {
		Map<String, UdsListenerContainer> containers = containers();
		if (containers.isEmpty()) {
			return "Serving no listeners";
		}
		return containers.values()
			.stream()
			.map((container) -> container.getDefinition().name() + " (" + container.getDefinition().address() + ")")
			.collect(Collectors.joining(", ", "Serving ", ""));
	}

	private @Nullable String firstProblem(java.util.function.Function<UdsListenerContainer, @Nullable String> check) {
		for (UdsListenerContainer container : containers().values()) {
			String problem = check.apply(container);
			if (problem != null) {
				return container.getDefinition().describe() + ": " + problem;
			}
		}
		return null;
	}

	private Map<String, UdsListenerContainer> containers() {
		UdsListenerEndpointRegistry registry = this.registry.getIfAvailable();
		return (registry != null) ? registry.getListenerContainers() : Map.of();
	}

}
