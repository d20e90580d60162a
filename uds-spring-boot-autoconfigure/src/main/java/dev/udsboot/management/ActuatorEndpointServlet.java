package dev.udsboot.management;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebOperationRequestPredicate;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;

/**
 * Serves the read operations of Actuator web endpoints, as Spring MVC's endpoint handler mapping
 * does for the application's own web server: a GET is matched against each operation's path
 * ({@code {name}} one segment, {@code {*name}} the rest), path variables and query parameters
 * become the operation's arguments, and a {@link WebEndpointResponse} gives the status (503 for
 * a DOWN health). Written here because Spring Boot's adapters need Spring MVC, WebFlux or Jersey,
 * which a non-web application does not have. Write operations are not served (405): the socket
 * is for checks, not for changing the application.
 */
public class ActuatorEndpointServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(ActuatorEndpointServlet.class);

	private static final java.time.Duration REACTIVE_TIMEOUT = java.time.Duration.ofSeconds(30);

	private static final java.util.Optional<Class<?>> REACTIVE_PUBLISHER = reactivePublisher();

	private final String basePath;

	private final transient Supplier<Collection<ExposableWebEndpoint>> endpoints;

	private final transient Function<Object, byte[]> json;

	/**
	 * Creates the servlet.
	 * @param basePath where the endpoints are, e.g. {@code /actuator}
	 * @param endpoints the endpoints to serve, asked for on each request (a discoverer caches them)
	 * @param json writes a response body as JSON
	 */
	public ActuatorEndpointServlet(String basePath, Supplier<Collection<ExposableWebEndpoint>> endpoints,
			Function<Object, byte[]> json) {
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		this.endpoints = endpoints;
		this.json = json;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI();
		if (!path.equals(this.basePath) && !path.startsWith(this.basePath + "/")) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		List<String> segments = segments(path.substring(this.basePath.length()));
		if (segments.isEmpty()) {
			writeJson(response, HttpServletResponse.SC_OK, links(), "application/json");
			return;
		}
		boolean pathMatched = false;
		for (ExposableWebEndpoint endpoint : this.endpoints.get()) {
			for (WebOperation operation : endpoint.getOperations()) {
				WebOperationRequestPredicate predicate = operation.getRequestPredicate();
				Map<String, Object> variables = match(segments(predicate.getPath()), segments);
				if (variables == null) {
					continue;
				}
				pathMatched = true;
				if (predicate.getHttpMethod() == WebEndpointHttpMethod.GET
						&& ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))) {
					invoke(operation, variables, request, response);
					return;
				}
			}
		}
		response.sendError(pathMatched ? HttpServletResponse.SC_METHOD_NOT_ALLOWED : HttpServletResponse.SC_NOT_FOUND);
	}

	private void invoke(WebOperation operation, Map<String, Object> variables, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		Map<String, Object> arguments = new LinkedHashMap<>(variables);
		request.getParameterMap().forEach((name, values) -> arguments.put(name,
				(values.length == 1) ? values[0] : Arrays.asList(values)));
		List<String> accept = Collections.list(request.getHeaders("Accept"));
		InvocationContext context = new InvocationContext(SecurityContext.NONE, arguments,
				OperationArgumentResolver.of(WebServerNamespace.class, () -> WebServerNamespace.MANAGEMENT),
				new ProducibleOperationArgumentResolver(() -> accept));
		Object result;
		try {
			result = resolveReactive(operation.invoke(context));
		}
		catch (InvalidEndpointRequestException ex) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST, ex.getReason());
			return;
		}
		catch (RuntimeException ex) {
			logger.error("Actuator operation " + operation.getId() + " failed over the management socket", ex);
			response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
			return;
		}
		String contentType = operation.getRequestPredicate().getProduces().stream().findFirst()
			.orElse("application/json");
		if (result instanceof WebEndpointResponse<?> web) {
			MimeType type = web.getContentType();
			write(response, web.getStatus(), web.getBody(), (type != null) ? type.toString() : contentType);
		}
		else if (result == null) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}
		else {
			write(response, HttpServletResponse.SC_OK, result, contentType);
		}
	}

	private void write(HttpServletResponse response, int status, @Nullable Object body, String contentType)
			throws IOException {
		if (body == null) {
			response.setStatus(status);
			return;
		}
		if (body instanceof CharSequence text) {
			writeBytes(response, status, text.toString().getBytes(StandardCharsets.UTF_8),
					contentType.contains("json") ? "text/plain;charset=UTF-8" : contentType);
		}
		else if (body instanceof byte[] bytes) {
			writeBytes(response, status, bytes, contentType);
		}
		else if (body instanceof Resource resource) {
			// a log file or a heap dump: streamed as it is, and closed (a heap dump's file goes then)
			response.setStatus(status);
			response.setContentType("application/octet-stream");
			try (InputStream in = resource.getInputStream()) {
				in.transferTo(response.getOutputStream());
			}
		}
		else {
			writeJson(response, status, body, contentType);
		}
	}

	private void writeJson(HttpServletResponse response, int status, Object body, String contentType)
			throws IOException {
		byte[] bytes;
		try {
			bytes = this.json.apply(body);
		}
		catch (RuntimeException ex) {
			logger.error("Could not write an Actuator response as JSON over the management socket", ex);
			writeBytes(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
					"{\"error\":\"the response could not be written as JSON\"}".getBytes(StandardCharsets.UTF_8),
					"application/json");
			return;
		}
		writeBytes(response, status, bytes, contentType);
	}

	private static void writeBytes(HttpServletResponse response, int status, byte[] bytes, String contentType)
			throws IOException {
		response.setStatus(status);
		response.setContentType(contentType);
		response.setContentLength(bytes.length);
		// Tomcat leaves out the body of a HEAD response
		response.getOutputStream().write(bytes);
	}

	/**
	 * Waits for the result of a reactive operation (a WebFlux application's health extension
	 * answers a {@code Mono}): this servlet is blocking, as the management socket's callers are.
	 */
	private static @Nullable Object resolveReactive(@Nullable Object result) {
		if (result == null || !REACTIVE_PUBLISHER.isPresent() || !REACTIVE_PUBLISHER.get().isInstance(result)) {
			return result;
		}
		try {
			return result.getClass().getMethod("block", java.time.Duration.class).invoke(result, REACTIVE_TIMEOUT);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot wait for a reactive Actuator result " + result, ex);
		}
	}

	private Map<String, Object> links() {
		Map<String, Object> links = new LinkedHashMap<>();
		for (ExposableWebEndpoint endpoint : this.endpoints.get()) {
			for (WebOperation operation : endpoint.getOperations()) {
				if (operation.getRequestPredicate().getHttpMethod() == WebEndpointHttpMethod.GET) {
					links.putIfAbsent(operation.getId(), Map.of("href", this.basePath + "/"
							+ operation.getRequestPredicate().getPath(), "templated",
							operation.getRequestPredicate().getPath().contains("{")));
				}
			}
		}
		return Map.of("_links", links);
	}

	/**
	 * Matches a request's segments against an operation's: {@code {name}} takes one segment,
	 * {@code {*name}} all remaining (at least one), as an array.
	 * @return the path variables, or {@code null} if the path does not match
	 */
	static @Nullable Map<String, Object> match(List<String> pattern, List<String> segments) {
		Map<String, Object> variables = new LinkedHashMap<>();
		for (int i = 0; i < pattern.size(); i++) {
			String part = pattern.get(i);
			if (part.startsWith("{*") && part.endsWith("}")) {
				if (i != pattern.size() - 1 || segments.size() <= i) {
					return null;
				}
				variables.put(part.substring(2, part.length() - 1),
						segments.subList(i, segments.size()).toArray(new String[0]));
				return variables;
			}
			if (i >= segments.size()) {
				return null;
			}
			if (part.startsWith("{") && part.endsWith("}")) {
				variables.put(part.substring(1, part.length() - 1), segments.get(i));
			}
			else if (!part.equals(segments.get(i))) {
				return null;
			}
		}
		return (pattern.size() == segments.size()) ? variables : null;
	}

	private static List<String> segments(String path) {
		List<String> segments = new ArrayList<>();
		for (String segment : path.split("/")) {
			if (!segment.isEmpty()) {
				// a path segment: "+" is a plus, not a space as in a form
				segments.add(java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
			}
		}
		return segments;
	}

	private static java.util.Optional<Class<?>> reactivePublisher() {
		try {
			return java.util.Optional.of(Class.forName("reactor.core.publisher.Mono", false,
					ActuatorEndpointServlet.class.getClassLoader()));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return java.util.Optional.empty();
		}
	}

}
