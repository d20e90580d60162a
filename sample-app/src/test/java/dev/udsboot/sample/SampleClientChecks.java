package dev.udsboot.sample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;



import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's listeners with clients this project did not write: {@code echo} (and
 * {@code echo-tcp}, the same handler on TCP), {@code whoami}, {@code digest} with descriptors and
 * {@code events}. Each subclass runs the same checks against the app run its own way.
 */
abstract class SampleClientChecks {

	String echoPath;

	String whoamiPath;

	String digestPath;

	String eventsPath;

	/**
	 * Returns where the app's sockets are.
	 * @return its {@code uds.sample.dir}
	 */
	abstract Path sampleDir();

	/**
	 * Returns where {@code echo-tcp} listens.
	 * @return {@code host:port}
	 */
	abstract String echoTcpAddress();

	@BeforeEach
	void paths() {
		this.echoPath = sampleDir().resolve("echo.sock").toString();
		this.whoamiPath = sampleDir().resolve("whoami.sock").toString();
		this.digestPath = sampleDir().resolve("digest.sock").toString();
		this.eventsPath = sampleDir().resolve("events.sock").toString();
	}

	@Test
	void python3SocketModule() throws Exception {
		ExternalProcess.Result result = ExternalProcess.python("""
				import socket
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.settimeout(10)
				s.connect('%s')
				f = s.makefile('rwb')
				for line in [b'one', b'', 'grüße'.encode(), b'x' * 60000]:
				    f.write(line + b'\\n'); f.flush()
				    assert f.readline() == line + b'\\n', line[:20]
				print('ok')
				""".formatted(this.echoPath));
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("ok\n");
	}

	@Test
	void whoamiAnswersWithTheCallersCredentials() throws Exception {
		ExternalProcess.Result result = ExternalProcess.python("""
				import json, os, socket
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.settimeout(10)
				s.connect('%s')
				s.sendall(b'who am i\\n')
				reply = json.loads(s.makefile('rb').readline())
				assert reply['pid'] == os.getpid(), reply
				assert reply['uid'] == os.geteuid(), reply
				assert reply['gid'] == os.getegid(), reply
				assert sorted(reply['gids']) == sorted(set([os.getegid()] + os.getgroups())), reply
				assert set(reply) == {'pid', 'uid', 'gid', 'gids'}, reply
				print('ok')
				""".formatted(this.whoamiPath));
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("ok\n");
	}

	@Test
	void digestReadsEachDescriptorSentWithTheLine() throws Exception {
		ExternalProcess.Result result = ExternalProcess.python("""
				import hashlib, json, os, socket, tempfile
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.settimeout(10)
				s.connect('%s')
				contents = [b'from a pipe', b'x' * 100000, b'']
				r, w = os.pipe(); os.write(w, contents[0]); os.close(w)
				f = tempfile.TemporaryFile(); f.write(contents[1]); f.flush(); f.seek(0)
				e = tempfile.TemporaryFile()
				socket.send_fds(s, [b'digest please\\n'], [r, f.fileno(), e.fileno()])
				reply = json.loads(s.makefile('rb').readline())
				assert reply == {'count': 3, 'digests': [
				    {'bytes': len(c), 'sha256': hashlib.sha256(c).hexdigest()} for c in contents]}, reply
				print('ok')
				""".formatted(this.digestPath));
		assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("ok\n");
	}

	@Test
	void socat() throws Exception {
		ExternalProcess.Result result = ExternalProcess.run(List.of("socat", "-t", "5", "-", "UNIX-CONNECT:" + this.echoPath),
				"alpha\nbeta\r\n");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("alpha\nbeta\n");
	}

	@Test
	void theSameEchoHandlerServesTcpToSocat() throws Exception {
		String address = echoTcpAddress();
		assertThat(address).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
		ExternalProcess.Result result = ExternalProcess.run(List.of("socat", "-t", "5", "-", "TCP:" + address),
				"alpha over tcp\nbeta\r\n");
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		assertThat(result.stdout()).isEqualTo("alpha over tcp\nbeta\n");
	}

	@Test
	void eventsAcknowledgesEveryDatagramToItsSender() throws Exception {
		java.nio.file.Path client = java.nio.file.Files.createTempDirectory("uds-events-client").resolve("c.sock");
		ExternalProcess.Result result = ExternalProcess.python("""
				import socket
				s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
				s.settimeout(10)
				s.bind('%s')
				answers = []
				for event in [b'started', b'{"k": 1}', b'x' * 1000]:
				    s.sendto(event, '%s')
				    data, sender = s.recvfrom(100)
				    answers.append(data.decode() + '@' + sender)
				print(' '.join(answers))
				""".formatted(client, this.eventsPath));
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		String from = "@" + this.eventsPath;
		assertThat(result.stdout()).as("ACK from the listener's own path")
			.isEqualTo("ACK" + from + " ACK" + from + " ACK" + from + "\n");
		java.nio.file.Files.deleteIfExists(client);
		java.nio.file.Files.delete(client.getParent());
	}

	@Test
	void socketFileHasTheConfiguredMode() throws Exception {
		assertThat(java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of(this.echoPath)))
			.isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
	}

}
