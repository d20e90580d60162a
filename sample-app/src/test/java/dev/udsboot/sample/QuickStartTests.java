package dev.udsboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.udsboot.test.Nobody;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's Quick start, taken from README.md itself, built as a separate Spring Boot project
 * (the pom start.spring.io writes, with the README's dependency, application.yml and handler) and
 * run as an executable jar, as root and as the unprivileged user {@code nobody}; {@code socat}
 * talks to it. Every other Java example of the README is compiled in the same project (in a
 * package the application does not scan), and the testing guide's test runs in its build, so no
 * example can drift from what compiles and works.
 */
class QuickStartTests {

	private static final Path README = Path.of("../README.md");

	private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

	@TempDir
	Path work;

	private final List<Process> processes = new ArrayList<>();

	private final List<Path> reachable = new ArrayList<>();

	@AfterEach
	void stop() throws IOException {
		this.processes.forEach(Process::destroyForcibly);
		for (Path directory : this.reachable) {
			Nobody.deleteDirectory(directory);
		}
	}

	@Test
	void theQuickStartBuildsStartsAndEchoesAsRootAndAsAnUnprivilegedUser() throws Exception {
		String readme = Files.readString(README);
		String quickStart = section(readme, "## Quick start");
		String dependency = block(quickStart, "xml");
		Path project = this.work.resolve("demo");
		writeProject(project, dependency, block(quickStart, "yaml"), readme);
		installStarter(version(dependency));
		run(project, List.of(RequiredTools.require("mvn"), "-B", "-q", "package",
				"-Dmaven.repo.local=" + localRepository()), Duration.ofMinutes(6));
		Path jar = project.resolve("target/demo-0.0.1-SNAPSHOT.jar");
		assertThat(jar).exists();

		// as root, sockets under a tmpdir of its own: ${java.io.tmpdir}/myapp/echo.sock
		Path tmp = Files.createDirectory(this.work.resolve("tmp"));
		Process app = start(List.of(java(), "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString()));
		Path socket = tmp.resolve("myapp/echo.sock");
		awaitSocket(app, socket);
		assertThat(socat(socket, "hello\n")).isEqualTo("hello\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
		app.destroy();
		assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(socket).doesNotExist();

		// as nobody, with a jar and a tmpdir nobody can reach
		Path shared = Nobody.createReachableDirectory("uds-quickstart-");
		this.reachable.add(shared);
		Path sharedJar = Files.copy(jar, shared.resolve("demo.jar"), StandardCopyOption.REPLACE_EXISTING);
		Path nobodyTmp = Files.createDirectory(shared.resolve("tmp"));
		Files.setPosixFilePermissions(nobodyTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
		Process unprivileged = start(asNobody(java(), "-Djava.io.tmpdir=" + nobodyTmp, "-jar", sharedJar.toString()));
		Path nobodySocket = nobodyTmp.resolve("myapp/echo.sock");
		awaitSocket(unprivileged, nobodySocket);
		assertThat(socat(nobodySocket, "as nobody\n")).isEqualTo("as nobody\n");
		assertThat(Files.getOwner(nobodySocket).getName()).isEqualTo("nobody");
		unprivileged.destroy();
		assertThat(unprivileged.waitFor(30, TimeUnit.SECONDS)).isTrue();

		// as nobody in a directory it may not write: a failure report naming the directory
		Path rootOnly = Files.createDirectory(shared.resolve("root-only"));
		Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
		Process refused = start(asNobody(java(), "-Djava.io.tmpdir=" + nobodyTmp, "-jar", sharedJar.toString(),
				"--uds.listeners.echo.path=" + rootOnly.resolve("echo.sock")));
		assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(refused.exitValue()).isNotZero();
		assertThat(output).contains("APPLICATION FAILED TO START",
				"Listener 'echo' could not bind its socket " + rootOnly.resolve("echo.sock")
						+ " (uds.listeners.echo.path): this process (user nobody) may not create files in " + rootOnly
						+ " (owned by root:root, mode rwxr-xr-x).",
				"Run the application as a user who may write to " + rootOnly)
			.doesNotContain(".uds-")
			.doesNotContain("\tat ");
	}

	private void writeProject(Path project, String dependency, String applicationYml, String readme)
			throws IOException {
		String bootVersion = match(Files.readString(Path.of("../pom.xml")),
				"<spring-boot.version>([^<]+)</spring-boot.version>");
		Files.createDirectories(project);
		Files.writeString(project.resolve("pom.xml"), """
				<?xml version="1.0" encoding="UTF-8"?>
				<project xmlns="http://maven.apache.org/POM/4.0.0"
				         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
				         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
				  <modelVersion>4.0.0</modelVersion>
				  <parent>
				    <groupId>org.springframework.boot</groupId>
				    <artifactId>spring-boot-starter-parent</artifactId>
				    <version>%s</version>
				    <relativePath/>
				  </parent>
				  <groupId>com.example</groupId>
				  <artifactId>demo</artifactId>
				  <version>0.0.1-SNAPSHOT</version>
				  <properties>
				    <java.version>17</java.version>
				  </properties>
				  <dependencies>
				    <dependency>
				      <groupId>org.springframework.boot</groupId>
				      <artifactId>spring-boot-starter</artifactId>
				    </dependency>
				%s
				    <dependency>
				      <groupId>org.springframework.boot</groupId>
				      <artifactId>spring-boot-starter-test</artifactId>
				      <scope>test</scope>
				    </dependency>
				  </dependencies>
				  <build>
				    <plugins>
				      <plugin>
				        <groupId>org.springframework.boot</groupId>
				        <artifactId>spring-boot-maven-plugin</artifactId>
				      </plugin>
				    </plugins>
				  </build>
				</project>
				""".formatted(bootVersion, dependency));
		write(project.resolve("src/main/resources/application.yml"), applicationYml);
		write(project.resolve("src/main/java/com/example/demo/DemoApplication.java"), """
				package com.example.demo;

				import org.springframework.boot.SpringApplication;
				import org.springframework.boot.autoconfigure.SpringBootApplication;

				@SpringBootApplication
				public class DemoApplication {

					public static void main(String[] args) {
						SpringApplication.run(DemoApplication.class, args);
					}

				}
				""");
		// the guides in docs/ that carry Java examples are compiled with the README's
		Matcher java = FENCE.matcher(readme + "\n" + Files.readString(Path.of("../docs/tcp.md")));
		int examples = 0;
		while (java.find()) {
			if (java.group(1).equals("java")) {
				String source = java.group(2);
				String packageName = match(source, "(?m)^package ([\\w.]+);");
				String className = match(source, "(?m)^(?:public )?(?:final )?class (\\w+)");
				String root = source.contains("@Test") ? "src/test/java/" : "src/main/java/";
				write(project.resolve(root + packageName.replace('.', '/') + "/" + className + ".java"), source);
				examples++;
			}
		}
		assertThat(examples).as("Java examples in the README and docs/tcp.md").isGreaterThanOrEqualTo(8);
	}

	/**
	 * Puts the starter just built into the local repository, as the README's {@code mvn install}
	 * does, so the project resolves it like a user's would.
	 */
	private static void installStarter(String version) throws IOException {
		Path group = localRepository().resolve("dev/udsboot");
		installPom(group, "uds-spring-boot-parent", version, Path.of("../pom.xml"));
		for (String module : List.of("uds-spring-boot-autoconfigure", "uds-spring-boot-starter")) {
			Path moduleDir = Path.of("..", module);
			Path jar = moduleDir.resolve("target/" + module + "-" + version + ".jar");
			assertThat(jar).as("built before the sample app's tests run").exists();
			Path target = installPom(group, module, version, moduleDir.resolve("pom.xml"));
			Files.copy(jar, target.resolve(module + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private static Path installPom(Path group, String artifactId, String version, Path pom) throws IOException {
		Path directory = Files.createDirectories(group.resolve(artifactId).resolve(version));
		// without a record of a remote origin, Maven takes them as installed here
		Files.deleteIfExists(directory.resolve("_remote.repositories"));
		Files.copy(pom, directory.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
		return directory;
	}

	private static Path localRepository() {
		return Path.of(System.getProperty("user.home"), ".m2", "repository");
	}

	private static String section(String readme, String heading) {
		int start = readme.indexOf("\n" + heading + "\n");
		assertThat(start).as("README section %s", heading).isNotNegative();
		int end = readme.indexOf("\n## ", start + heading.length() + 2);
		return readme.substring(start, (end < 0) ? readme.length() : end);
	}

	private static String block(String section, String language) {
		Matcher matcher = FENCE.matcher(section);
		while (matcher.find()) {
			if (matcher.group(1).equals(language)) {
				return matcher.group(2);
			}
		}
		throw new AssertionError("no ```" + language + " block in:\n" + section);
	}

	private static String version(String dependency) {
		return match(dependency, "<version>([^<]+)</version>");
	}

	private static String match(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("%s in:%n%s", regex, text).isTrue();
		return matcher.group(1);
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static List<String> asNobody(String... command) {
		List<String> line = new ArrayList<>(List.of(RequiredTools.require("setpriv"), "--reuid=nobody",
				"--regid=" + Nobody.group(), "--clear-groups"));
		line.addAll(List.of(command));
		return line;
	}

	private Process start(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		this.processes.add(process);
		return process;
	}

	private static void awaitSocket(Process app, Path socket) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			assertThat(app.isAlive()).as("the application is running").isTrue();
			return Files.exists(socket);
		});
	}

	private static String socat(Path socket, String input) throws IOException, InterruptedException {
		Process socat = new ProcessBuilder(RequiredTools.require("socat"), "-t", "2", "-", "UNIX-CONNECT:" + socket)
			.start();
		socat.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		socat.getOutputStream().close();
		assertThat(socat.waitFor(20, TimeUnit.SECONDS)).isTrue();
		return new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

	private static void run(Path directory, List<String> command, Duration timeout)
			throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as("%s:%n%s", command, new String(output, StandardCharsets.UTF_8)).isZero();
	}

}
