package dev.udsboot.invocation;

import java.util.regex.Pattern;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessagingException;

/**
 * A payload could not be resolved to its parameter: thrown by the payload argument resolver, so
 * that a client's bad input is told apart from an exception of the handler's own.
 */
final class InvalidPayloadException extends MessagingException {

	private static final long serialVersionUID = 1L;

	private static final int MAX_CLIENT_MESSAGE = 300;

	private static final Pattern QUALIFIED_TYPE = Pattern.compile("`(?:[\\w]+[.$])+([\\w]+)`");

	private final String clientMessage;

	InvalidPayloadException(MethodParameter parameter, Exception cause) {
		super("Cannot convert the payload to " + payloadType(parameter).getName() + ": " + cause.getMessage(), cause);
		this.clientMessage = "Cannot read the payload as " + payloadType(parameter).getSimpleName() + ": "
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

	/** The parameter's type, or for a {@code Message<T>} parameter its payload's. */
	private static Class<?> payloadType(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return Message.class.isAssignableFrom(type)
				? ResolvableType.forMethodParameter(parameter).getGeneric().resolve(Object.class) : type;
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
		// Jackson names types fully qualified, in backticks: the client sees their simple names
		String line = QUALIFIED_TYPE.matcher((end >= 0) ? message.substring(0, end) : message).replaceAll("`$1`");
		return (line.length() > MAX_CLIENT_MESSAGE) ? line.substring(0, MAX_CLIENT_MESSAGE) + "..." : line;
	}

}
