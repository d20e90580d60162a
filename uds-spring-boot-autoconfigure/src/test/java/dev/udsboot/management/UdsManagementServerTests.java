package dev.udsboot.management;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.management.ThreadDumpEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.health.UdsHealthContributorAutoConfiguration;
import dev.udsboot.autoconfigure.management.UdsManagementAutoConfiguration;
import dev.udsboot.socket.SocketFiles;
import dev.udsboot.test.ProcessResources;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator over {@code uds.management.path} in a non-web application, asked with {@code curl
 * --unix-socket}: 200 and the {@code uds} component UP, 503 naming the listener once its socket
 * file is deleted, only exposed endpoints and only reads, the socket-file rules, no leak.
 */
class UdsManagementServerTests {

	private static final String V3 = "application/vnd.spring-boot.actuator.v3+json";

	private static final String V2 = "application/vnd.spring-boot.actuator.v2+json";

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					EndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class, InfoEndpointAutoConfiguration.class,
					ThreadDumpEndpointAutoConfiguration.class, UdsHealthContributorAutoConfiguration.class,
					UdsManagementAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues("uds.listeners.lines.path=" + this.dir.resolve("lines.sock"),
					"uds.management.path=" + management(), "management.endpoint.health.show-details=always");
	}

	private Path management() {
		return this.dir.resolve("management.sock");
	}

	@Test
	void healthIsServedWith200WhenUpAnd503NamingTheListenerWhenItsFileIsDeleted() throws Exception {
		runner().run((context) -> {
			Curl up = curl("/actuator/health");
			assertThat(up.status()).as(up.body()).isEqualTo(200);
			JsonNode health = up.json();
			assertThat(health.at("/status").asString()).isEqualTo("UP");
			assertThat(health.at("/components/uds/status").asString()).isEqualTo("UP");
			assertThat(health.at("/components/uds/components/lines/status").asString()).isEqualTo("UP");
			assertThat(health.at("/components/uds/components/lines/details/probe").asString()).startsWith("answered in ");
			Curl component = curl("/actuator/health/uds/lines");
			assertThat(component.status()).isEqualTo(200);
			assertThat(component.json().at("/details/listener").asString()).isEqualTo("lines");
			assertThat(component.json().at("/details/type").asString()).isEqualTo("stream");
			Files.delete(this.dir.resolve("lines.sock"));
			Curl down = curl("/actuator/health");
			assertThat(down.status()).as(down.body()).isEqualTo(503);
			assertThat(down.json().at("/status").asString()).isEqualTo("DOWN");
			assertThat(down.json().at("/components/uds/status").asString()).isEqualTo("DOWN");
			assertThat(down.json().at("/components/uds/components/lines/details/reason").asString())
				.isEqualTo("the socket file " + this.dir.resolve("lines.sock") + " was deleted");
		});
	}

	@Test
	void onlyExposedEndpointsAndOnlyReadsAreServed() throws Exception {
		runner().run((context) -> {
			assertThat(curl("/actuator/info").status()).as("not exposed").isEqualTo(404);
			assertThat(curl("/actuator/nothing").status()).isEqualTo(404);
			assertThat(curl("/elsewhere").status()).isEqualTo(404);
			assertThat(curl("-X", "POST", "/actuator/health").status()).isEqualTo(405);
			Curl head = curl("--head", "/actuator/health");
			assertThat(head.status()).as("HEAD as GET, without a body").isEqualTo(200);
			assertThat(head.body()).doesNotContain("\"status\"");
			Curl links = curl("/actuator");
			assertThat(links.status()).isEqualTo(200);
			assertThat(links.body()).contains("\"health\"").doesNotContain("\"info\"");
		});
		runner().withPropertyValues("uds.management.exposure.include=health,info").run((context) -> {
			Curl info = curl("/actuator/info");
			assertThat(info.status()).as(info.body()).isEqualTo(200);
			assertThat(info.body()).isEqualTo("{}");
		});
	}

	@Test
	void theAcceptHeaderChoosesTheContentTypeAsOnTheWebPort() throws Exception {
		runner().run((context) -> {
			assertNegotiated(curl("-H", "Accept:", "/actuator/health"), V3, "/components");
			assertNegotiated(curl("-H", "Accept: */*", "/actuator/health"), V3, "/components");
			assertNegotiated(curl("-H", "Accept: application/json", "/actuator/health"), "application/json",
					"/components");
			assertNegotiated(curl("-H", "Accept: " + V3, "/actuator/health"), V3, "/components");
			assertNegotiated(curl("-H", "Accept: " + V2, "/actuator/health"), V2, "/details");
			assertNegotiated(curl("-H", "Accept: application/*", "/actuator/health"), V3, "/components");
			// the web port: the content type by quality, the body's version as Actuator resolves it
			assertNegotiated(curl("-H", "Accept: " + V2 + ";q=0.5, application/json", "/actuator/health"),
					"application/json", "/details");
			assertNegotiated(curl("-H", "Accept: text/plain, */*;q=0.1", "/actuator/health"), V3, "/components");
			assertNegotiated(curl("-H", "Accept: application/json", "/actuator"), "application/json", "/_links");
			for (String accept : List.of("text/plain", "application/xml", "bogus")) {
				Curl refused = curl("-H", "Accept: " + accept, "/actuator/health");
				assertThat(refused.status()).as(accept).isEqualTo(406);
				assertThat(refused.header("Accept")).as(accept).isEqualTo(V3 + ", " + V2 + ", application/json");
				assertThat(refused.body()).as("no JSON for a client that accepts none").isEmpty();
				assertThat(curl("-H", "Accept: " + accept, "/actuator").status()).as(accept).isEqualTo(406);
			}
		});
	}

	@Test
	void operationsOfOnePathAreChosenByTheAcceptHeader() throws Exception {
		runner().withPropertyValues("uds.management.exposure.include=health,threaddump").run((context) -> {
			Curl json = curl("-H", "Accept: application/json, text/plain", "/actuator/threaddump");
			assertThat(json.status()).isEqualTo(200);
			assertThat(json.contentType()).isEqualTo("application/json");
			assertThat(json.json().at("/threads").isArray()).isTrue();
			assertThat(curl("/actuator/threaddump").contentType()).as("*/*").isEqualTo(V3);
			Curl text = curl("-H", "Accept: text/plain, application/json", "/actuator/threaddump");
			assertThat(text.status()).isEqualTo(200);
			assertThat(text.contentType()).isEqualTo("text/plain;charset=UTF-8");
			assertThat(text.body()).contains("Full thread dump");
			Curl html = curl("-H", "Accept: text/html", "/actuator/threaddump");
			assertThat(html.status()).isEqualTo(406);
			assertThat(html.header("Accept")).isEqualTo(V3 + ", " + V2 + ", application/json, text/plain;charset=UTF-8");
		});
	}

	@Test
	void errorsHaveSpringBootsJsonBody() throws Exception {
		runner().withBean(BrokenEndpoint.class)
			.withPropertyValues("uds.management.exposure.include=health,broken")
			.run((context) -> {
				for (String path : List.of("/x", "/actuator/info", "/actuator/", "/actuator/health/", "/actuator/nothing")) {
					assertError(curl(path), 404, "Not Found", path, "application/json");
				}
				assertError(curl("-H", "Accept: " + V3, "/x"), 404, "Not Found", "/x", V3);
				assertError(curl("-H", "Accept: text/plain;q=0.5, application/json", "/x"), 404, "Not Found", "/x",
						"application/json");
				Curl plain = curl("-H", "Accept: text/plain", "/x");
				assertThat(plain.status()).isEqualTo(404);
				assertThat(plain.body()).as("no JSON for a client that accepts none").isEmpty();
				assertThat(plain.contentType()).isNull();
				Curl missingComponent = curl("/actuator/health/nothing");
				assertThat(missingComponent.status()).isEqualTo(404);
				assertThat(missingComponent.body()).as("a read that found nothing, as on the web port").isEmpty();
				assertError(curl("/actuator/broken"), 500, "Internal Server Error", "/actuator/broken",
						"application/json");
			});
	}

	@Test
	void everyWriteOnEveryPathIs405AllowingGetAndHead() throws Exception {
		runner().run((context) -> {
			for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
				for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/uds", "/x")) {
					Curl refused = curl("-X", method, path);
					assertError(refused, 405, "Method Not Allowed", path, "application/json");
					assertThat(refused.header("Allow")).as(method + " " + path).isEqualTo("GET, HEAD");
				}
			}
			// Tomcat refuses TRACE itself unless allowed: then its own HTML page, naming its version
			Curl trace = curl("-X", "TRACE", "/actuator/health");
			assertError(trace, 405, "Method Not Allowed", "/actuator/health", "application/json");
			assertThat(trace.header("Allow")).isEqualTo("GET, HEAD");
			// what Tomcat answers itself names neither Tomcat nor its version
			Curl malformed = curl("--path-as-is", "/actuator/%zz");
			assertThat(malformed.status()).isEqualTo(400);
			assertThat(malformed.body()).doesNotContainIgnoringCase("tomcat").doesNotContain("11.0");
			Curl head = curl("--head", "/actuator");
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.contentType()).isEqualTo(V3);
		});
	}

	@Test
	void linksAreAbsoluteAndBuiltFromTheHostHeader() throws Exception {
		runner().withPropertyValues("uds.management.exposure.include=health,info").run((context) -> {
			Curl links = curl("/actuator");
			assertThat(links.status()).isEqualTo(200);
			assertThat(links.contentType()).isEqualTo(V3);
			assertThat(links.json().at("/_links/self/href").asString()).isEqualTo("http://localhost/actuator");
			assertThat(links.json().at("/_links/health/href").asString()).isEqualTo("http://localhost/actuator/health");
			assertThat(links.json().at("/_links/health-path/href").asString())
				.isEqualTo("http://localhost/actuator/health/{*path}");
			assertThat(links.json().at("/_links/health-path/templated").asBoolean()).isTrue();
			assertThat(links.json().at("/_links/info/href").asString()).isEqualTo("http://localhost/actuator/info");
			Curl elsewhere = curl("-H", "Host: example.org:8080", "/actuator");
			assertThat(elsewhere.json().at("/_links/health/href").asString())
				.isEqualTo("http://example.org:8080/actuator/health");
		});
	}

	private static void assertNegotiated(Curl curl, String contentType, String pointer) {
		assertThat(curl.status()).as(curl.body()).isEqualTo(200);
		assertThat(curl.contentType()).isEqualTo(contentType);
		assertThat(curl.json().at(pointer).isMissingNode()).as(pointer + " in " + curl.body()).isFalse();
	}

	private static void assertError(Curl curl, int status, String error, String path, String contentType) {
		assertThat(curl.status()).as(path + ": " + curl.body()).isEqualTo(status);
		assertThat(curl.contentType()).as(path).isEqualTo(contentType);
		JsonNode body = curl.json();
		assertThat(body.propertyNames()).containsExactly("timestamp", "status", "error", "path");
		assertThat(body.at("/timestamp").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
		assertThat(body.at("/status").asInt()).isEqualTo(status);
		assertThat(body.at("/error").asString()).isEqualTo(error);
		assertThat(body.at("/path").asString()).isEqualTo(path);
	}

	@Test
	void theSocketFileFollowsTheListenersRules() throws Exception {
		runner().withPropertyValues("uds.management.file-mode=rw-------").run((context) -> {
			assertThat(SocketFiles.kindOf(management())).isEqualTo(SocketFiles.Kind.SOCKET);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(management())))
				.isEqualTo("rw-------");
			assertThat(curl("/actuator/health").status()).isEqualTo(200);
		});
		assertThat(management()).as("removed on shutdown").doesNotExist();
		Files.writeString(management(), "precious");
		runner().run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("The management socket could not bind its socket")
				.hasStackTraceContaining("it is a regular file, not a socket, and will not be deleted");
		});
		assertThat(management()).hasContent("precious");
	}

	@Test
	void requestsLeaveNoDescriptorOrThreadBehind() throws Exception {
		runner().run((context) -> {
			assertThat(tomcatThreads()).as("the management socket's Tomcat runs").isPositive();
			curl("/actuator/health");
			int baseline = ProcessResources.openDescriptors();
			for (int i = 0; i < 30; i++) {
				assertThat(curl("/actuator/health").status()).isEqualTo(200);
			}
			ProcessResources.awaitAtMost(baseline, ProcessResources::openDescriptors, Duration.ofSeconds(10));
		});
		ProcessResources.awaitAtMost(0, UdsManagementServerTests::tomcatThreads, Duration.ofSeconds(10));
	}

	private static int tomcatThreads() {
		return (int) Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().contains("uds-management-") || thread.getName().startsWith("http-nio"))
			.count();
	}

	@Test
	void noServerWithoutAPathOrWithoutTomcat() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					EndpointAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
					UdsManagementAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UdsManagementServer.class));
		runner().withPropertyValues("uds.management.path=")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UdsManagementServer.class));
		runner().withClassLoader(new FilteredClassLoader(org.apache.catalina.startup.Tomcat.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(UdsManagementServer.class));
	}

	private Curl curl(String... arguments) throws Exception {
		Path headers = Files.createTempFile(this.dir, "headers", ".txt");
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("curl"), "--silent", "--show-error",
				"--max-time", "10", "--unix-socket", management().toString(), "--dump-header", headers.toString(),
				"--write-out", "\n%{http_code}"));
		for (int i = 0; i < arguments.length - 1; i++) {
			command.add(arguments[i]);
		}
		command.add("http://localhost" + arguments[arguments.length - 1]);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		int newline = output.lastIndexOf('\n');
		Map<String, String> headerValues = new LinkedHashMap<>();
		for (String line : Files.readAllLines(headers)) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headerValues.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).trim());
			}
		}
		return new Curl(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline),
				headerValues);
	}

	private record Curl(int status, String body, Map<String, String> headers) {

		JsonNode json() {
			return new JsonMapper().readTree(this.body);
		}

		@Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		@Nullable String contentType() {
			return header("Content-Type");
		}

	}

	@Endpoint(id = "broken")
	static class BrokenEndpoint {

		@ReadOperation
		String broken() {
			throw new IllegalStateException("broken on purpose");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

	static class Handlers {

		@UdsHandler("lines")
		String lines(String line) {
			return line;
		}

	}

}
