package dev.udsboot;

import org.jspecify.annotations.Nullable;

/**
 * Startup failed for a reason the user can act on: a handler and the configuration do not match,
 * or a socket cannot be bound where it is configured. It carries the two parts of a Spring Boot
 * failure report, a description naming the full property and its value, and the action to take;
 * {@code UdsStartupFailureAnalyzer} turns it into that report.
 * <p>
 * It is the type of every startup failure the starter raises, but one: a property value that is
 * invalid on its own (a negative backlog, an unparsable file mode) is Spring Boot's
 * {@code InvalidConfigurationPropertyValueException}, as for Spring Boot's own properties, so that
 * Spring Boot's report names where the value was set. Lower layers throw their own types (a
 * {@code SocketFileException} when a socket file cannot be bound, which a client meets too); the
 * listener or management socket that bound it converts them to this type where it binds.
 */
public class UdsStartupException extends UdsException {

	private static final long serialVersionUID = 1L;

	private final String action;

	/**
	 * Creates an exception.
	 * @param description what failed, naming the listener, the property and its value
	 * @param action what to do about it
	 */
	public UdsStartupException(String description, String action) {
		this(description, action, null);
	}

	/**
	 * Creates an exception with a cause.
	 * @param description what failed, naming the listener, the property and its value
	 * @param action what to do about it
	 * @param cause the underlying failure
	 */
	public UdsStartupException(String description, String action, @Nullable Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/**
	 * Returns what failed; the same as the message.
	 * @return the description
	 */
	public String getDescription() {
		return getMessage();
	}

	/**
	 * Returns what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (message != null) ? message : "";
	}

}
