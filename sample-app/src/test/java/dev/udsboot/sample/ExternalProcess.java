package dev.udsboot.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs independent clients (gcc-compiled C, python3, socat) as processes and checks for the tools
 * they need: a missing tool fails the test, it is never skipped.
 */
final class ExternalProcess {

	private ExternalProcess() {
	}

	/** The result of a finished process. */
	record Result(int exitCode, String stdout, String stderr) {
	}

	static String require(String tool) {
		String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
		return Arrays.stream(path.split(File.pathSeparator))
			.map((dir) -> new File(dir, tool))
			.filter(File::canExecute)
			.map(File::getAbsolutePath)
			.findFirst()
			.orElseGet(() -> fail("Required tool '" + tool + "' is not installed; run tools/ensure-test-tools"));
	}

	static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
		if (!command.get(0).startsWith("/")) {
			require(command.get(0));
		}
		Process process = new ProcessBuilder(command).start();
		process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail(command + " did not finish within 30 s");
		}
		return new Result(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
				new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	static Path compileSeedProgram(String name, Path outputDir) throws IOException, InterruptedException {
		Path source = Path.of("src/test/c", name + ".c").toAbsolutePath();
		Path binary = outputDir.resolve(name);
		Result result = run(List.of("gcc", "-o", binary.toString(), source.toString()), "");
		assertThat(result.exitCode()).as("gcc: %s", result.stderr()).isZero();
		return binary;
	}

	static Result python(String script) throws IOException, InterruptedException {
		return run(List.of("python3", "-c", script), "");
	}

}
