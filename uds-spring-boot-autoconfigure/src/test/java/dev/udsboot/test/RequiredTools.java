package dev.udsboot.test;

import java.io.File;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.fail;

/**
 * Checks that an external tool a test needs is installed. A missing tool fails the test (it is
 * never skipped): {@code .ci/run} and the build install them (see {@code tools/ensure-test-tools}).
 */
public final class RequiredTools {

	private RequiredTools() {
	}

	/**
	 * Returns the absolute path of a tool on the PATH, failing the test if it is missing.
	 * @param name the executable's name, e.g. {@code socat}
	 * @return its path
	 */
	public static String require(String name) {
		String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
		return Arrays.stream(path.split(File.pathSeparator))
			.map((dir) -> new File(dir, name))
			.filter(File::canExecute)
			.map(File::getAbsolutePath)
			.findFirst()
			.orElseGet(() -> fail("Required tool '" + name + "' is not installed; run tools/ensure-test-tools"));
	}

}
