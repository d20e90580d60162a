package dev.udsboot.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs independent clients (gcc-compiled C, python3, socat) as processes; a missing tool fails
 * the test ({@link RequiredTools}), it is never skipped.
 */
final class ExternalProcess {

	private ExternalProcess() {
	}

	/** The result of a finished process. */
	record Result(int exitCode, String stdout, String stderr) {
	}

	static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
		if (!command.get(0).startsWith("/")) {
			RequiredTools.require(command.get(0));
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
