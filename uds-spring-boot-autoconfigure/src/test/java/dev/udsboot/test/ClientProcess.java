package dev.udsboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a client program (socat, python3, ...) to the end: its input written and closed, its
 * output and errors read as one text.
 */
public final class ClientProcess {

	private ClientProcess() {
	}

	/**
	 * Runs a client.
	 * @param command the program and its arguments; a program named without a path must be
	 * installed ({@link RequiredTools})
	 * @param input what it reads
	 * @return what it printed, standard error included
	 * @throws IOException if it cannot be started
	 * @throws InterruptedException if waiting is interrupted
	 */
	public static String run(List<String> command, String input) throws IOException, InterruptedException {
		if (!command.get(0).startsWith("/")) {
			RequiredTools.require(command.get(0));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
