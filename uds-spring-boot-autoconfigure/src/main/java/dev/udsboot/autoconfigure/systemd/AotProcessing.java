package dev.udsboot.autoconfigure.systemd;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.context.aot.AbstractAotProcessor;

/**
 * Tells the conditions on systemd's variables that the application is being AOT-processed: they
 * must then match, because the machine that builds the application is not the one systemd runs
 * it on, and the beans read the variables at startup instead.
 */
final class AotProcessing {

	/** What the conditions say while the application is AOT-processed. */
	static final ConditionOutcome OUTCOME = ConditionOutcome
		.match("AOT processing: whether systemd expects notifications is read when the application starts");

	private AotProcessing() {
	}

	static boolean isRunning() {
		return Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING);
	}

}
