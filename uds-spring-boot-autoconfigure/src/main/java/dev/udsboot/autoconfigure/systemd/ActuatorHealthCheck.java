package dev.udsboot.autoconfigure.systemd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;

import dev.udsboot.systemd.ServiceCheck;

/**
 * The watchdog's health where Actuator's health endpoint exists: its aggregate status, so that a
 * DOWN database stops the pings as a deleted socket file does; UP passes, any other status
 * fails, naming the components that are not UP. Readiness ({@code readinessState}) does not
 * count: the watchdog asks whether the application is alive, and one that refuses traffic, still
 * starting or on purpose, is. Nor does liveness ({@code livenessState}) until Spring Boot has set
 * it, once the application has started: the watchdog starts before that. Where the application has no {@link HealthEndpoint} bean, the listeners decide. Loaded
 * only when Actuator's health classes are on the class path.
 */
final class ActuatorHealthCheck implements ServiceCheck {

	/** Actuator's readiness component, which the watchdog leaves to readiness notification. */
	private static final String READINESS = "readinessState";

	/** Actuator's liveness component. */
	private static final String LIVENESS = "livenessState";

	private final ObjectProvider<HealthEndpoint> endpoint;

	private final ServiceCheck withoutActuator;

	private final ObjectProvider<ApplicationAvailability> availability;

	private final ObjectProvider<StatusAggregator> aggregator;

	private ActuatorHealthCheck(ObjectProvider<HealthEndpoint> endpoint,
			ObjectProvider<ApplicationAvailability> availability, ObjectProvider<StatusAggregator> aggregator,
			ServiceCheck withoutActuator) {
		this.endpoint = endpoint;
		this.availability = availability;
		this.aggregator = aggregator;
		this.withoutActuator = withoutActuator;
	}

	/**
	 * The check of an application's health endpoint, looked up at each check (it is created after
	 * the watchdog, by Actuator's auto-configuration).
	 */
	static ServiceCheck orElse(BeanFactory beanFactory, ServiceCheck withoutActuator) {
		return new ActuatorHealthCheck(beanFactory.getBeanProvider(HealthEndpoint.class),
				beanFactory.getBeanProvider(ApplicationAvailability.class),
				beanFactory.getBeanProvider(StatusAggregator.class), withoutActuator);
	}

	@Override
	public @Nullable String problem() {
		HealthEndpoint health = this.endpoint.getIfAvailable();
		if (health == null) {
			return this.withoutActuator.problem();
		}
		HealthDescriptor descriptor = health.health();
		Status status = (descriptor != null) ? descriptor.getStatus() : Status.UNKNOWN;
		if (Status.UP.equals(status)) {
			return null;
		}
		if (descriptor == null) {
			return "the application's health is " + status.getCode();
		}
		Map<String, Status> components = new LinkedHashMap<>();
		collect(descriptor, "", components);
		// readiness never counts: an application that refuses traffic (still starting, or on
		// purpose) is alive, and a restart would not make it ready sooner; nor does liveness
		// before Spring Boot has set it (BROKEN until the application has started)
		components.remove(READINESS);
		if (!livenessKnown()) {
			components.remove(LIVENESS);
		}
		// what is left, ranked as Actuator ranks it: UNKNOWN beside UP is UP
		Status alive = this.aggregator.getIfAvailable(StatusAggregator::getDefault)
			.getAggregateStatus(new LinkedHashSet<>(components.values()));
		if (Status.UP.equals(alive) || components.isEmpty()) {
			return null;
		}
		List<String> failing = new ArrayList<>();
		components.forEach((path, component) -> {
			if (component.equals(alive)) {
				failing.add(path + " " + component.getCode());
			}
		});
		return "the application's health is " + alive.getCode() + " (" + String.join(", ", failing) + ")";
	}

	private boolean livenessKnown() {
		ApplicationAvailability availability = this.availability.getIfAvailable();
		return availability == null || availability.getLastChangeEvent(LivenessState.class) != null;
	}

	/** Every component without components of its own, by path ({@code uds/echo}). */
	private static void collect(HealthDescriptor descriptor, String path, Map<String, Status> components) {
		if (descriptor instanceof CompositeHealthDescriptor composite && composite.getComponents() != null) {
			composite.getComponents()
				.forEach((name, component) -> collect(component, path.isEmpty() ? name : path + "/" + name,
						components));
		}
		else {
			components.put(path.isEmpty() ? "health" : path, descriptor.getStatus());
		}
	}

}
