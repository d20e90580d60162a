package dev.udsboot.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed tutorial's clients against the sample app AOT-processed with the {@code seed} profile.
 * AOT fixes profiles when it processes, so the build's own AOT processing (the default profile)
 * has none of the seed's handlers: as a user who runs a profile in AOT mode builds for it, this
 * test runs Spring Boot's AOT processor with the profile, compiles what it generates, and runs the
 * app on those classes with {@code -Dspring.aot.enabled=true}.
 */
class AotSeedProfileTests extends SeedClientChecks {

	private static final String MAIN = SampleApplication.class.getName();

	@TempDir
	static Path aot;

	private static Process app;

	private static Path log;

	@BeforeAll
	static void processAheadOfTimeAndStart() throws Exception {
		String classpath = System.getProperty("java.class.path");
		Path sources = aot.resolve("sources");
		Path resources = aot.resolve("resources");
		Path classes = Files.createDirectories(aot.resolve("classes"));
		List<String> appArguments = List.of("--spring.profiles.active=seed", "--uds.sample.dir=" + aot.resolve("run"),
				"--uds.management.path=", "--spring.main.banner-mode=off");
		// what spring-boot:process-aot runs, with the seed profile
		List<String> processor = new ArrayList<>(List.of(java(), "-cp", classpath,
				"org.springframework.boot.SpringApplicationAotProcessor", MAIN, sources.toString(),
				resources.toString(), classes.toString(), "dev.udsboot", "sample-app"));
		processor.addAll(appArguments);
		Process processing = new ProcessBuilder(processor).redirectErrorStream(true)
			.redirectOutput(aot.resolve("process-aot.log").toFile())
			.start();
		assertThat(processing.waitFor(180, TimeUnit.SECONDS)).as("AOT processing finished").isTrue();
		assertThat(processing.exitValue()).as(Files.readString(aot.resolve("process-aot.log"))).isZero();
		compile(sources, classes, classpath);
		copy(resources, classes);
		log = aot.resolve("app.log");
		List<String> command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
				"-Dspring.aot.enabled=true", "-cp", classes + ":" + classpath, MAIN));
		command.addAll(appArguments);
		app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Files.readString(log).contains("Started SampleApplication") || !app.isAlive());
		assertThat(Files.readString(log)).contains("Starting AOT-processed SampleApplication")
			.contains("Started listener 'seed-stream'");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (app != null) {
			app.destroy();
			app.waitFor(30, TimeUnit.SECONDS);
		}
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static void compile(Path sources, Path classes, String classpath) throws IOException {
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		List<Path> files;
		try (Stream<Path> walk = Files.walk(sources)) {
			files = walk.filter((file) -> file.toString().endsWith(".java")).toList();
		}
		assertThat(files).as("generated sources").isNotEmpty();
		try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
			Boolean compiled = compiler
				.getTask(null, fileManager, null,
						List.of("-d", classes.toString(), "-cp", classpath, "--release", "17", "-proc:none"), null,
						fileManager.getJavaFileObjectsFromPaths(files))
				.call();
			assertThat(compiled).as("the generated sources compile").isTrue();
		}
	}

	private static void copy(Path from, Path to) throws IOException {
		if (!Files.isDirectory(from)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(from)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				Files.createDirectories(target.getParent());
				Files.copy(file, target);
			}
		}
	}

	@Override
	String serverOutput() throws IOException {
		return Files.readString(log);
	}

}
