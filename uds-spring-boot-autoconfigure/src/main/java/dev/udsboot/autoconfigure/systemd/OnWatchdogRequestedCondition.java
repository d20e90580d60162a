package dev.udsboot.autoconfigure.systemd;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.udsboot.systemd.SystemdEnvironment;

/**
 * Matches when systemd expects watchdog pings from this process: {@code WATCHDOG_USEC} is set and
 * {@code WATCHDOG_PID}, if set, is this process. The condition report says which.
 */
class OnWatchdogRequestedCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (AotProcessing.isRunning()) {
			return AotProcessing.OUTCOME;
		}
		SystemdEnvironment.Watchdog watchdog = SystemdEnvironment.watchdog(context.getEnvironment());
		return (watchdog.timeout() != null) ? ConditionOutcome.match("systemd expects watchdog pings: " + watchdog.reason())
				: ConditionOutcome.noMatch("systemd expects no watchdog pings: " + watchdog.reason());
	}

}
