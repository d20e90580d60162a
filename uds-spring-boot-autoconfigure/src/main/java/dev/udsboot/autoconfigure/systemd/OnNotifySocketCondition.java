package dev.udsboot.autoconfigure.systemd;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.udsboot.systemd.SystemdEnvironment;

/**
 * Matches when {@code NOTIFY_SOCKET} is set and not blank: systemd (or a tool speaking its
 * protocol) listens for notifications. A blank value means none, as for {@code sd_notify(3)}.
 */
class OnNotifySocketCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (AotProcessing.isRunning()) {
			return AotProcessing.OUTCOME;
		}
		String notifySocket = SystemdEnvironment.notifySocket(context.getEnvironment());
		return (notifySocket != null) ? ConditionOutcome.match("NOTIFY_SOCKET=" + notifySocket)
				: ConditionOutcome.noMatch("NOTIFY_SOCKET is not set");
	}

}
