package dev.udsboot.autoconfigure.systemd;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

import dev.udsboot.systemd.ServiceCheck;

/**
 * The watchdog's health where Actuator's health endpoint exists: its aggregate status, so that a
 * DOWN database stops the pings as a deleted socket file does; UP passes, any other status
 * fails. Where the application has no {@link HealthEndpoint} bean, the listeners decide. Loaded
 * only when Actuator's health classes are on the class path.
 */
final class ActuatorHealthCheck implements ServiceCheck {

	private final ObjectProvider<HealthEndpoint> endpoint;

	private final ServiceCheck withoutActuator;

	private ActuatorHealthCheck(ObjectProvider<HealthEndpoint> endpoint, ServiceCheck withoutActuator) {
		this.endpoint = endpoint;
		this.withoutActuator = withoutActuator;
	}

	/**
	 * The check of an application's health endpoint, looked up at each check (it is created after
	 * the watchdog, by Actuator's auto-configuration).
	 */
	static ServiceCheck orElse(BeanFactory beanFactory, ServiceCheck withoutActuator) {
		return new ActuatorHealthCheck(beanFactory.getBeanProvider(HealthEndpoint.class), withoutActuator);
	}

	@Override
	public @Nullable String problem() {
		HealthEndpoint health = this.endpoint.getIfAvailable();
		if (health == null) {
			return this.withoutActuator.problem();
		}
		HealthDescriptor descriptor = health.health();
		Status status = (descriptor != null) ? descriptor.getStatus() : Status.UNKNOWN;
		return Status.UP.equals(status) ? null : "the application's health is " + status.getCode();
	}

}
