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
import java.util.stream.Collectors;

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
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebOperationRequestPredicate;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.io.Resource;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

import dev.udsboot.listener.RateLimitedLog;

/**
 * Serves the read operations of Actuator web endpoints as Spring MVC's endpoint handler mapping
 * does on the application's web port: a GET is matched against each operation's path ({@code
 * {name}} one segment, {@code {*name}} the rest), path variables and query parameters become the
 * operation's arguments, and a {@link WebEndpointResponse} gives the status (503 for a DOWN
 * health). As there, the {@code Accept} header chooses among the operation's media types
 * ({@link ContentNegotiation}; 406 when none is accepted), the links page at the base path has
 * absolute links built from the request's {@code Host} ({@link EndpointLinksResolver}), and errors
 * have Spring Boot's JSON body ({@link ErrorResponses}). Written here because Spring Boot's
 * adapters need Spring MVC, WebFlux or Jersey, which a non-web application does not have.
 * <p>
 * Only GET and HEAD are served: any other method on any path answers 405 with {@code Allow: GET,
 * HEAD}, as the socket is for checks, not for changing the application.
 */
public class ActuatorEndpointServlet extends HttpServlet {

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(ActuatorEndpointServlet.class);

	private static final String ALLOW = "GET, HEAD";

	private static final java.time.Duration REACTIVE_TIMEOUT = java.time.Duration.ofSeconds(30);

	/** Reactor's {@code Mono}, which a WebFlux application's Actuator answers with. */
	static final String REACTIVE_PUBLISHER_CLASS = "reactor.core.publisher.Mono";

	/** {@code Mono}'s method that waits for its result. */
	static final String REACTIVE_BLOCK = "block";

	private static final java.util.Optional<Class<?>> REACTIVE_PUBLISHER = reactivePublisher();

	private final String basePath;

	private final transient Supplier<Collection<ExposableWebEndpoint>> endpoints;

	private final transient List<MimeType> linksMediaTypes;

	private final transient Function<Object, byte[]> json;

	private final transient ErrorResponses errors;

	private final transient RateLimitedLog failures = new RateLimitedLog(logger, java.time.Duration.ofSeconds(10));

	/**
	 * Creates the servlet.
	 * @param basePath where the endpoints are, e.g. {@code /actuator}
	 * @param endpoints the endpoints to serve, asked for on each request (a discoverer caches them)
	 * @param mediaTypes the media types the links page is produced as
	 * @param json writes an endpoint's response body as JSON
	 * @param errorJson writes an error body as JSON (the application's mapper, as for the web port's
	 * error bodies)
	 */
	public ActuatorEndpointServlet(String basePath, Supplier<Collection<ExposableWebEndpoint>> endpoints,
			EndpointMediaTypes mediaTypes, Function<Object, byte[]> json, Function<Object, byte[]> errorJson) {
		this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
		this.endpoints = endpoints;
		this.linksMediaTypes = mediaTypes.getProduced().stream().map(MimeTypeUtils::parseMimeType).toList();
		this.json = json;
		this.errors = new ErrorResponses(errorJson);
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		List<MimeType> accepted;
		try {
			accepted = ContentNegotiation.accepted(request.getHeaders("Accept"));
		}
		catch (InvalidMimeTypeException ex) {
			// Spring MVC: 406 for a resource, and an error body for nobody
			accepted = List.of();
		}
		try {
			serve(request, response, accepted);
		}
		catch (RuntimeException ex) {
			this.failures.warn((count) -> "Actuator request " + request.getMethod() + " " + request.getRequestURI()
					+ " failed over the management socket (" + count + " since the last such line): " + ex);
			if (!response.isCommitted()) {
				response.reset();
				this.errors.send(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, accepted);
			}
		}
	}

	private void serve(HttpServletRequest request, HttpServletResponse response, List<MimeType> accepted)
			throws IOException {
		if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
			response.setHeader("Allow", ALLOW);
			this.errors.send(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, accepted);
			return;
		}
		String path = request.getRequestURI();
		if (path.equals(this.basePath)) {
			links(request, response, accepted);
			return;
		}
		// as on the web port, a trailing slash is another path (Spring MVC no longer matches it)
		if (!path.startsWith(this.basePath + "/") || path.endsWith("/")) {
			this.errors.send(request, response, HttpServletResponse.SC_NOT_FOUND, accepted);
			return;
		}
		List<String> segments = segments(path.substring(this.basePath.length()));
		List<MatchedOperation> reads = new ArrayList<>();
		boolean writesOnly = false;
		for (ExposableWebEndpoint endpoint : this.endpoints.get()) {
			for (WebOperation operation : endpoint.getOperations()) {
				WebOperationRequestPredicate predicate = operation.getRequestPredicate();
				Map<String, Object> variables = match(segments(predicate.getPath()), segments);
				if (variables == null) {
					continue;
				}
				if (predicate.getHttpMethod() == WebEndpointHttpMethod.GET) {
					reads.add(new MatchedOperation(operation, variables));
				}
				else {
					writesOnly = true;
				}
			}
		}
		if (reads.isEmpty()) {
			if (writesOnly) {
				// a path of write operations only: no method at all is allowed here
				response.setHeader("Allow", "");
			}
			this.errors.send(request, response,
					writesOnly ? HttpServletResponse.SC_METHOD_NOT_ALLOWED : HttpServletResponse.SC_NOT_FOUND, accepted);
			return;
		}
		MatchedOperation chosen = MatchedOperation.select(reads, accepted);
		MimeType contentType = (chosen != null) ? ContentNegotiation.choose(accepted, chosen.produces()) : null;
		if (chosen == null || contentType == null) {
			notAcceptable(request, response, reads.stream().flatMap((read) -> read.produces().stream()).distinct()
				.toList(), accepted);
			return;
		}
		invoke(chosen, contentType, request, response, accepted);
	}

	private void links(HttpServletRequest request, HttpServletResponse response, List<MimeType> accepted)
			throws IOException {
		MimeType contentType = ContentNegotiation.choose(accepted, this.linksMediaTypes);
		if (contentType == null) {
			notAcceptable(request, response, this.linksMediaTypes, accepted);
			return;
		}
		Map<String, Link> links = new EndpointLinksResolver(this.endpoints.get())
			.resolveLinks(request.getRequestURL().toString());
		writeJson(response, HttpServletResponse.SC_OK, Map.of("_links", links), contentType.toString());
	}

	/** 406, naming what could have been produced in an {@code Accept} header, as Spring MVC does. */
	private void notAcceptable(HttpServletRequest request, HttpServletResponse response, List<MimeType> producible,
			List<MimeType> accepted) throws IOException {
		response.setHeader("Accept", producible.stream().map(MimeType::toString).collect(Collectors.joining(", ")));
		this.errors.send(request, response, HttpServletResponse.SC_NOT_ACCEPTABLE, accepted);
	}

	private void invoke(MatchedOperation candidate, MimeType contentType, HttpServletRequest request,
			HttpServletResponse response, List<MimeType> accepted) throws IOException {
		WebOperation operation = candidate.operation();
		Map<String, Object> arguments = new LinkedHashMap<>(candidate.variables());
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
			this.errors.send(request, response, HttpServletResponse.SC_BAD_REQUEST, accepted);
			return;
		}
		if (result instanceof WebEndpointResponse<?> web) {
			MimeType type = web.getContentType();
			write(response, web.getStatus(), web.getBody(), (type != null) ? type.toString() : contentType.toString());
		}
		else if (result == null) {
			// as on the web port: a read that found nothing (a health component that is not there)
			// is a 404 without a body
			response.setStatus(HttpServletResponse.SC_NOT_FOUND);
			response.setContentLength(0);
		}
		else {
			write(response, HttpServletResponse.SC_OK, result, contentType.toString());
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
		// a body that cannot be written as JSON throws before anything is sent: a 500 then
		writeBytes(response, status, this.json.apply(body), contentType);
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
			// Mono's own method, not the subclass's: the one a native image's hints register
			return REACTIVE_PUBLISHER.get()
				.getMethod(REACTIVE_BLOCK, java.time.Duration.class)
				.invoke(result, REACTIVE_TIMEOUT);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot wait for a reactive Actuator result " + result, ex);
		}
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
			return java.util.Optional.of(Class.forName(REACTIVE_PUBLISHER_CLASS, false,
					ActuatorEndpointServlet.class.getClassLoader()));
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return java.util.Optional.empty();
		}
	}

}
