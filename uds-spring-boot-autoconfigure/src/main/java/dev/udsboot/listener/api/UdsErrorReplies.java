package dev.udsboot.listener.api;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The error replies the starter sends a client that got something wrong: one JSON object,
 * {@code {"error":"<code>","message":"<what>"}}, framed like any reply. JSON escapes line feeds,
 * NUL and the other control characters, so the body never contains a framing's terminator. Use
 * it in an error handler of your own to answer in the same form.
 */
public final class UdsErrorReplies {

	/** The payload could not be converted to the handler's parameter type. */
	public static final String INVALID_PAYLOAD = "invalid-payload";

	/** The message was longer than the listener's max-message-size. */
	public static final String MESSAGE_TOO_LARGE = "message-too-large";

	/** The bytes did not follow the listener's framing. */
	public static final String MALFORMED_FRAME = "malformed-frame";

	/** The message carried more descriptors than the listener's max-file-descriptors. */
	public static final String TOO_MANY_DESCRIPTORS = "too-many-descriptors";

	// a plain mapper: the body's form must not change with the application's JSON settings
	private static final JsonMapper JSON = JsonMapper.builder().build();

	private UdsErrorReplies() {
	}

	/**
	 * Returns an error reply's bytes.
	 * @param error the error's code, e.g. {@link #INVALID_PAYLOAD}
	 * @param message what the client got wrong
	 * @return UTF-8 JSON
	 */
	public static byte[] of(String error, String message) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("message", message);
		return JSON.writeValueAsBytes(body);
	}

}
