package dev.udsboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients written with {@code python3}'s {@code socket} module, run as processes: independent of
 * the starter and of junixsocket. Each waits up to 90 s for its answer, long enough for an
 * application that a first connection starts (socket activation).
 */
public final class PythonClients {

	/** Connects, sends one line, prints the line that comes back. */
	private static final String STREAM_CLIENT = """
			import socket, sys
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(90)
			s.connect(sys.argv[1])
			s.sendall(sys.argv[2].encode() + b'\\n')
			print(s.makefile().readline().strip())
			""";

	/** Sends one datagram from a bound address, prints the reply. */
	private static final String DATAGRAM_CLIENT = """
			import socket, sys
			s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			s.bind(sys.argv[2])
			s.settimeout(90)
			s.sendto(sys.argv[3].encode(), sys.argv[1])
			print(s.recv(1024).decode())
			""";

	private PythonClients() {
	}

	/**
	 * Starts a client that sends one line on a stream socket and prints the line it gets back.
	 * @param socket the socket's path
	 * @param line the line, without its newline
	 * @return the client, running; {@link #output(Process)} waits for its answer
	 * @throws IOException if python3 cannot be started
	 */
	public static Process startStream(Path socket, String line) throws IOException {
		return start(STREAM_CLIENT, socket.toString(), line);
	}

	/**
	 * Sends one line on a stream socket and returns the line that comes back.
	 * @param socket the socket's path
	 * @param line the line, without its newline
	 * @return the answer, without its newline
	 * @throws Exception if the client cannot be run; a client that fails fails the test
	 */
	public static String stream(Path socket, String line) throws Exception {
		return output(startStream(socket, line));
	}

	/**
	 * Starts a client that sends one datagram from a bound address and prints the reply.
	 * @param socket the datagram socket's path
	 * @param from the client's own address, a path that must not exist yet
	 * @param payload the datagram
	 * @return the client, running; {@link #output(Process)} waits for the reply
	 * @throws IOException if python3 cannot be started
	 */
	public static Process startDatagram(Path socket, Path from, String payload) throws IOException {
		return start(DATAGRAM_CLIENT, socket.toString(), from.toString(), payload);
	}

	/**
	 * Waits for a client and returns what it printed.
	 * @param client a client started here
	 * @return its output, stripped
	 * @throws Exception if waiting is interrupted; a client that fails fails the test
	 */
	public static String output(Process client) throws Exception {
		assertThat(client.waitFor(90, TimeUnit.SECONDS)).as("client finished").isTrue();
		String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(client.exitValue()).as(output).isZero();
		return output;
	}

	private static Process start(String script, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("python3"), "-c", script));
		command.addAll(List.of(arguments));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

}
