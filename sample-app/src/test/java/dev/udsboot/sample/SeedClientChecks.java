package dev.udsboot.sample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed tutorial's clients, compiled unmodified, against the sample app's {@code seed} profile.
 * Each subclass runs the same checks against the app run its own way; {@link #serverOutput()} is
 * what the app has logged so far.
 */
abstract class SeedClientChecks {

	/**
	 * Returns what the app has logged so far.
	 * @return its output
	 * @throws Exception if it cannot be read
	 */
	abstract String serverOutput() throws Exception;

	@TempDir
	Path work;

	@Test
	void seedStreamClientGetsHelloFromServer() throws Exception {
		Path client = ExternalProcess.compileSeedProgram("uds_client", this.work);
		ExternalProcess.Result result = ExternalProcess.run(List.of(client.toString()), "");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("Client received: Hello from server\n");
		await().untilAsserted(() -> assertThat(serverOutput()).contains("Server received: Hello from client"));
	}

	@Test
	void seedDatagramClientGetsAck() throws Exception {
		Path client = ExternalProcess.compileSeedProgram("uds_dgram_client", this.work);
		ExternalProcess.Result result = ExternalProcess.run(List.of(client.toString()), "");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("Client got reply: ACK\n");
	}

	@Test
	void seedDescriptorReceiverReadsHostnameThroughThePassedDescriptor() throws Exception {
		Path receiver = ExternalProcess.compileSeedProgram("fd_receiver", this.work);
		ExternalProcess.Result result = ExternalProcess.run(List.of(receiver.toString()), "");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		String hostname = java.nio.file.Files.readString(Path.of("/etc/hostname"));
		assertThat(result.stdout()).containsPattern("Receiver: got fd [0-9]+\\n")
			.endsWith("Receiver: read from passed fd: " + hostname);
	}

	@Test
	void credentialServerLogsTheCallersPidUidAndGid() throws Exception {
		ExternalProcess.Result result = ExternalProcess.python("""
				import os, socket, time
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.connect('/tmp/cred_check.sock')
				s.sendall(b'x')
				print(os.getpid(), os.geteuid(), os.getegid())
				time.sleep(1)
				s.close()
				""");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		String[] ids = result.stdout().trim().split(" ");
		await().untilAsserted(() -> assertThat(serverOutput())
			.contains("Peer PID: " + ids[0] + ", Peer UID: " + ids[1] + ", Peer GID: " + ids[2]));
	}

	@Test
	void abstractSocketPrintsWhatItReceives() throws Exception {
		ExternalProcess.Result result = ExternalProcess.python("""
				import socket
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.connect('\\0my_abstract_socket')
				s.sendall(b'abstract!')
				s.close()
				""");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		await().untilAsserted(() -> assertThat(serverOutput()).contains("Received via abstract socket: abstract!"));
	}

}
