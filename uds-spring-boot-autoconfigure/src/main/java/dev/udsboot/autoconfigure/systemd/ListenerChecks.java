package dev.udsboot.autoconfigure.systemd;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.health.ListenerSocketCheck;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.systemd.ServiceCheck;
import dev.udsboot.systemd.StatusText;

/**
 * What the listeners of one context's endpoint registry tell systemd: whether there are any
 * (a context without its own sends no {@code READY=1}), whether they all accept (readiness),
 * whether they all still serve on their own sockets (health, where Actuator is absent), and what
 * they serve ({@code STATUS=}). Only the context's own registry counts, never a parent's: a
 * child context's notifier must not take its parent's listeners for its own. A context without
 * the registry ({@code uds.enabled=false}) has no listeners.
 */
final class ListenerChecks {

	private final ListableBeanFactory beanFactory;

	ListenerChecks(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/** Whether the context has listeners of its own. */
	boolean any() {
		return !containers().isEmpty();
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
		// capped, and a newline in a path cannot start a line of its own (see StatusText)
		return StatusText.list("Serving ", containers.values()
			.stream()
			.map((container) -> container.getDefinition().name() + " (" + container.getAddress() + ")")
			.toList());
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
		// getBeansOfType looks at this context only, where an ObjectProvider would ask the parent
		Map<String, UdsListenerContainer> containers = new LinkedHashMap<>();
		this.beanFactory.getBeansOfType(UdsListenerEndpointRegistry.class, false, false)
			.values()
			.forEach((registry) -> containers.putAll(registry.getListenerContainers()));
		return containers;
	}

}
