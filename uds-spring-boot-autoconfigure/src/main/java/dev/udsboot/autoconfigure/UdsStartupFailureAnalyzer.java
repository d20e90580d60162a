package dev.udsboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.udsboot.UdsStartupException;

/**
 * Reports a {@link UdsStartupException} as a Spring Boot failure report: its description (what
 * failed, naming the property and its value) and its action, instead of a stack trace.
 */
class UdsStartupFailureAnalyzer extends AbstractFailureAnalyzer<UdsStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UdsStartupException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
