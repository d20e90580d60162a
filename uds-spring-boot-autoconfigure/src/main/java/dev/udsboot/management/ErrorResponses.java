package dev.udsboot.management;

import java.io.IOException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.MimeType;

/**
 * Writes an error response as Spring Boot's error controller does on the web port: the status,
 * and, when the client accepts JSON, the body {@code {"timestamp":...,"status":404,"error":"Not
 * Found","path":"/x"}} (the default error attributes: no message, no exception). A client that
 * accepts no JSON ({@code Accept: text/plain}) gets the status with an empty body, as there.
 */
final class ErrorResponses {

	private final Function<Object, byte[]> json;

	/**
	 * Creates the writer.
	 * @param json writes the body as JSON; the application's mapper formats the timestamp as on
	 * the web port
	 */
	ErrorResponses(Function<Object, byte[]> json) {
		this.json = json;
	}

	/**
	 * Writes an error response.
	 * @param request the request, whose path the body names
	 * @param response the response; not yet committed
	 * @param status the HTTP status
	 * @param accepted what the client accepts ({@link ContentNegotiation#accepted}); empty when its
	 * {@code Accept} header could not be parsed
	 * @throws IOException if the body cannot be written
	 */
	void send(HttpServletRequest request, HttpServletResponse response, int status, List<MimeType> accepted)
			throws IOException {
		response.setStatus(status);
		MimeType type = ContentNegotiation.choose(accepted, ContentNegotiation.JSON);
		if (type == null) {
			response.setContentLength(0);
			return;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("timestamp", new Date());
		body.put("status", status);
		body.put("error", reason(status));
		body.put("path", request.getRequestURI());
		byte[] bytes = this.json.apply(body);
		response.setContentType(type.toString());
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/** The reason phrases of the statuses the management socket answers with. */
	private static String reason(int status) {
		return switch (status) {
			case HttpServletResponse.SC_BAD_REQUEST -> "Bad Request";
			case HttpServletResponse.SC_NOT_FOUND -> "Not Found";
			case HttpServletResponse.SC_METHOD_NOT_ALLOWED -> "Method Not Allowed";
			case HttpServletResponse.SC_NOT_ACCEPTABLE -> "Not Acceptable";
			case HttpServletResponse.SC_INTERNAL_SERVER_ERROR -> "Internal Server Error";
			default -> "Http Status " + status;
		};
	}

}
