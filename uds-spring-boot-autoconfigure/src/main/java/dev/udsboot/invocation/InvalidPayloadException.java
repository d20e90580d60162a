package dev.udsboot.invocation;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.MessagingException;

/**
 * A payload could not be resolved to its parameter: thrown by the payload argument resolver, so
 * that a client's bad input is told apart from an exception of the handler's own.
 */
final class InvalidPayloadException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_CLIENT_MESSAGE = 300;

	private final String clientMessage;

	InvalidPayloadException(MethodParameter parameter, Exception cause) {
		super("Cannot convert the payload to " + parameter.getParameterType().getName() + ": " + cause.getMessage(),
				cause);
		this.clientMessage = "Cannot read the payload as " + parameter.getParameterType().getSimpleName() + ": "
				+ firstLine(deepest(cause).getMessage());
	}

	/**
	 * Returns what the client got wrong, in one line: the most specific cause's first line (a JSON
	 * parser's message without its location dump), with no class names of the application but the
	 * parameter type's simple name.
	 * @return the message
	 */
	String clientMessage() {
		return this.clientMessage;
	}

	private static Throwable deepest(Throwable failure) {
		Throwable deepest = failure;
		while (deepest.getCause() != null && deepest.getCause() != deepest) {
			deepest = deepest.getCause();
		}
		return deepest;
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "invalid";
		}
		int end = message.indexOf('\n');
		String line = (end >= 0) ? message.substring(0, end) : message;
		return (line.length() > MAX_CLIENT_MESSAGE) ? line.substring(0, MAX_CLIENT_MESSAGE) + "..." : line;
	}

}
