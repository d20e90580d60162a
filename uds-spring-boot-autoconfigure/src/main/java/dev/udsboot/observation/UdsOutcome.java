package dev.udsboot.observation;

import java.util.Locale;

/**
 * How an observed message or exchange ended, the {@code outcome} key's value.
 */
public enum UdsOutcome {

	/** Handled (or answered), including a reply an error handler made of a failure. */
	SUCCESS,

	/** The client's mistake: a payload that could not be converted, an invalid request. */
	CLIENT_ERROR,

	/** The handler failed, or the exchange did. */
	ERROR,

	/** Not known yet: the call runs (a long-task timer's tag). */
	UNKNOWN;

	/**
	 * Returns the value as the key carries it.
	 * @return e.g. {@code success}, {@code client-error}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
