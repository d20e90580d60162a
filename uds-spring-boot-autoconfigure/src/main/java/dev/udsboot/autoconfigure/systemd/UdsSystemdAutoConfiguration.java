package dev.udsboot.autoconfigure.systemd;


import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.systemd.ServiceCheck;
import dev.udsboot.systemd.SystemdEnvironment;
import dev.udsboot.systemd.SystemdNotifier;
import dev.udsboot.systemd.SystemdReadinessNotifier;
import dev.udsboot.systemd.SystemdWatchdog;

/**
 * Notifies systemd when {@code NOTIFY_SOCKET} is set (read through the {@link Environment}, so
 * tests can set it as a property): readiness and stopping unless
 * {@code uds.systemd.notify.enabled=false}, watchdog pings when {@code WATCHDOG_USEC} asks for
 * them unless {@code uds.systemd.watchdog.enabled=false}. Readiness waits for every listener of the
 * endpoint registry; the watchdog's health is Actuator's aggregate health where the application
 * has a health endpoint, its listeners otherwise.
 * <p>
 * In a context hierarchy every context that includes this auto-configuration gets beans of its
 * own, which look at that context's listeners only; {@code READY=1} and {@code STOPPING=1} still go
 * once per hierarchy (see {@link SystemdReadinessNotifier}).
 * <p>
 * AOT processing fixes conditions when the application is built, where systemd is not: there the
 * conditions on {@code NOTIFY_SOCKET} and {@code WATCHDOG_USEC} match, and the beans read the
 * variables when the application starts, doing nothing if they are not set.
 */
@AutoConfiguration(after = UdsAutoConfiguration.class)
@ConditionalOnClass(AFUNIXDatagramChannel.class)
@Conditional(OnNotifySocketCondition.class)
@EnableConfigurationProperties(UdsSystemdProperties.class)
public final class UdsSystemdAutoConfiguration {

	/** Actuator's health endpoint and the endpoint classes it extends (an optional dependency). */
	private static final boolean ACTUATOR_HEALTH_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.health.actuate.endpoint.HealthEndpoint", UdsSystemdAutoConfiguration.class.getClassLoader())
			&& ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.OperationResponseBody",
					UdsSystemdAutoConfiguration.class.getClassLoader());

	// each context its own beans (SearchStrategy.CURRENT): a child context's listeners are not
	// its parent's, and the parent's notifier knows nothing of them

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	SystemdNotifier udsSystemdNotifier(Environment environment, ApplicationContext context) {
		return new SystemdNotifier(SystemdEnvironment.notifySocket(environment), context);
	}

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	@ConditionalOnBooleanProperty(name = "uds.systemd.notify.enabled", matchIfMissing = true)
	SystemdReadinessNotifier udsSystemdReadinessNotifier(SystemdNotifier notifier, ListableBeanFactory beanFactory) {
		ListenerChecks listeners = new ListenerChecks(beanFactory);
		return new SystemdReadinessNotifier(notifier, listeners::any, listeners.allAccepting(), listeners::status);
	}

	@Bean
	@ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
	@ConditionalOnBooleanProperty(name = "uds.systemd.watchdog.enabled", matchIfMissing = true)
	@Conditional(OnWatchdogRequestedCondition.class)
	SystemdWatchdog udsSystemdWatchdog(SystemdNotifier notifier, Environment environment,
			ListableBeanFactory beanFactory) {
		ServiceCheck listeners = new ListenerChecks(beanFactory).allServing();
		ServiceCheck health = ACTUATOR_HEALTH_PRESENT ? ActuatorHealthCheck.orElse(beanFactory, listeners) : listeners;
		SystemdEnvironment.Watchdog watchdog = SystemdEnvironment.watchdog(environment);
		return new SystemdWatchdog(notifier, (watchdog.timeout() != null) ? watchdog.interval() : null, health);
	}

}
