package dev.udsboot.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs commands as the unprivileged user {@code nobody} with {@code setpriv} (the tests run as
 * root), optionally with supplementary groups, for tests of permissions and peer credentials.
 */
public final class Nobody {

	private static String python;

	private Nobody() {
	}

	/** The result of a finished command. */
	public record Result(int exitCode, String stdout, String stderr) {
	}

	/**
	 * Returns nobody's primary group: {@code nogroup} where it exists, else 65534.
	 * @return the group name or id
	 */
	public static String group() {
		try {
			Process getent = new ProcessBuilder(RequiredTools.require("getent"), "group", "nogroup").start();
			String entry = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (getent.waitFor() == 0 && entry.startsWith("nogroup:")) ? "nogroup" : "65534";
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns a python3 that nobody can run: the one on the PATH may live under root's home.
	 * @return its path
	 */
	public static synchronized String python() throws IOException, InterruptedException {
		if (python == null) {
			List<String> candidates = List.of(RequiredTools.require("python3"), "/usr/bin/python3",
					"/usr/local/bin/python3");
			for (String candidate : candidates) {
				if (new File(candidate).canExecute() && run(null, candidate, "-c", "pass").exitCode() == 0) {
					python = candidate;
					return python;
				}
			}
			fail("No python3 that user nobody can run (tried " + candidates + "); switching users needs root");
		}
		return python;
	}

	/**
	 * Runs a command as nobody.
	 * @param groups supplementary groups, comma-separated, or {@code null} for none
	 * @param command the command
	 * @return its result
	 */
	public static Result run(String groups, String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of(RequiredTools.require("setpriv"), "--reuid=nobody",
				"--regid=" + group(), (groups != null) ? "--groups=" + groups : "--clear-groups"));
		line.addAll(List.of(command));
		Process process = new ProcessBuilder(line).start();
		try {
			process.getOutputStream().close();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				fail("timed out: " + line);
			}
			return new Result(process.exitValue(),
					new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
					new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Creates a directory under {@code /tmp} that nobody can traverse (mode {@code rwxr-xr-x}): a
	 * {@code @TempDir} is {@code rwx------} and would keep nobody out whatever a socket's mode.
	 * @param prefix the directory name's prefix
	 * @return the directory; remove it with {@link #deleteDirectory(java.nio.file.Path)}
	 */
	public static java.nio.file.Path createReachableDirectory(String prefix) throws IOException {
		java.nio.file.Path directory = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("/tmp"), prefix);
		java.nio.file.Files.setPosixFilePermissions(directory,
				java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
		return directory;
	}

	/**
	 * Deletes a directory and everything in it.
	 * @param directory the directory
	 */
	public static void deleteDirectory(java.nio.file.Path directory) throws IOException {
		try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(directory)) {
			for (java.nio.file.Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				java.nio.file.Files.deleteIfExists(file);
			}
		}
	}

}
