package dev.udsboot.management;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
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

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
					EndpointAutoConfiguration.class, JacksonEndpointAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
					HealthEndpointAutoConfiguration.class, InfoEndpointAutoConfiguration.class,
					UdsHealthContributorAutoConfiguration.class, UdsManagementAutoConfiguration.class))
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
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("curl"), "--silent", "--show-error",
				"--max-time", "10", "--unix-socket", management().toString(), "--write-out", "\n%{http_code}"));
		for (int i = 0; i < arguments.length - 1; i++) {
			command.add(arguments[i]);
		}
		command.add("http://localhost" + arguments[arguments.length - 1]);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(output).isZero();
		int newline = output.lastIndexOf('\n');
		return new Curl(Integer.parseInt(output.substring(newline + 1).trim()), output.substring(0, newline));
	}

	private record Curl(int status, String body) {

		JsonNode json() {
			return new JsonMapper().readTree(this.body);
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
