package dev.udsboot.invocation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.test.Nobody;
import dev.udsboot.test.RequiredTools;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer's credentials as a handler sees them, compared with what an independent python3 client
 * knows about itself, run as root and as user nobody with supplementary groups; and the
 * allow-lists that turn peers away before any handler runs.
 */
class PeerCredentialsTests {

	/** Sends one line, prints what the server answered and what the client knows of itself. */
	private static final String CLIENT = """
			import json, os, socket, sys
			s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			s.settimeout(10)
			s.connect(sys.argv[1])
			data = b''
			try:
			    s.sendall(b'who\\n')
			except (BrokenPipeError, ConnectionResetError):
			    # a refused peer may be closed before it even writes
			    data = b'\\n'
			while not data.endswith(b'\\n'):
			    try:
			        chunk = s.recv(4096)
			    except ConnectionResetError:
			        # closed with our request unread: Linux reports a reset
			        break
			    if not chunk:
			        break
			    data += chunk
			print(json.dumps({'reply': data.decode().strip(), 'pid': os.getpid(), 'uid': os.geteuid(),
			                  'gid': os.getegid(), 'groups': sorted(set([os.getegid()] + os.getgroups()))}))
			""";

	private Path dir;

	@BeforeEach
	void worldTraversableDirectory() throws IOException {
		// nobody must reach the sockets: not under a 0700 @TempDir
		this.dir = Nobody.createReachableDirectory("udspeer");
	}

	@AfterEach
	void removeDirectory() throws IOException {
		Nobody.deleteDirectory(this.dir);
	}

	private ApplicationContextRunner runner() {
		List<String> properties = new ArrayList<>();
		for (String name : new String[] { "whoami", "uids", "gids" }) {
			properties.add("uds.listeners." + name + ".path=" + this.dir.resolve(name + ".sock"));
			properties.add("uds.listeners." + name + ".file-mode=rw-rw-rw-");
		}
		properties.add("uds.listeners.uids.allowed-uids=0");
		properties.add("uds.listeners.gids.allowed-gids=4");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(HandlersConfiguration.class)
			.withPropertyValues(properties.toArray(String[]::new));
	}

	@Test
	void handlerSeesTheCallersOwnCredentials() {
		runner().run((context) -> {
			JsonNode asRoot = asRoot("whoami");
			assertMatchesItself(asRoot);
			JsonNode asNobody = asNobody("4,24", "whoami");
			assertMatchesItself(asNobody);
			assertThat(asNobody.get("uid").asLong()).isEqualTo(65534);
			assertThat(groupsOf(reply(asNobody))).contains(4L, 24L);
		});
	}

	@Test
	void sessionAndParameterAgree() {
		runner().run((context) -> {
			JsonNode result = asRoot("uids");
			assertThat(reply(result).get("sameAsSession").asBoolean()).isTrue();
		});
	}

	@Test
	void uidAllowListTurnsOthersAwayBeforeAnyHandlerRuns() {
		runner().run((context) -> {
			Handlers handlers = context.getBean(Handlers.class);
			assertThat(reply(asRoot("uids")).get("uid").asLong()).isZero();
			int calls = handlers.calls.get();
			JsonNode refused = asNobody(null, "uids");
			assertThat(refused.get("reply").asString()).as("closed without a reply").isEmpty();
			assertThat(handlers.calls.get()).isEqualTo(calls);
			assertThat(statistics(context, "uids").unauthorizedPeers()).isEqualTo(1);
		});
	}

	@Test
	void gidAllowListCountsSupplementaryGroups() {
		runner().run((context) -> {
			assertThat(reply(asNobody("4", "gids")).get("uid").asLong()).isEqualTo(65534);
			assertThat(asNobody("24", "gids").get("reply").asString()).isEmpty();
			assertThat(asRoot("gids").get("reply").asString()).as("root is not in group 4").isEmpty();
			assertThat(statistics(context, "gids").unauthorizedPeers()).isEqualTo(2);
		});
	}

	private JsonNode asRoot(String listener) throws Exception {
		Process process = new ProcessBuilder(RequiredTools.require("python3"), "-c", CLIENT,
				this.dir.resolve(listener + ".sock").toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
		return new JsonMapper().readTree(output);
	}

	private JsonNode asNobody(String groups, String listener) throws Exception {
		Nobody.Result result = Nobody.run(groups, Nobody.python(), "-c", CLIENT,
				this.dir.resolve(listener + ".sock").toString());
		assertThat(result.exitCode()).as(result.stderr()).isZero();
		return new JsonMapper().readTree(result.stdout());
	}

	private static JsonNode reply(JsonNode result) {
		String reply = result.get("reply").asString();
		assertThat(reply).as("a reply").isNotEmpty();
		return new JsonMapper().readTree(reply);
	}

	private static List<Long> groupsOf(JsonNode reply) {
		List<Long> groups = new ArrayList<>();
		reply.get("gids").forEach((gid) -> groups.add(gid.asLong()));
		return groups;
	}

	private static void assertMatchesItself(JsonNode result) {
		JsonNode reply = reply(result);
		assertThat(reply.get("pid").asLong()).isEqualTo(result.get("pid").asLong());
		assertThat(reply.get("uid").asLong()).isEqualTo(result.get("uid").asLong());
		assertThat(reply.get("gid").asLong()).isEqualTo(result.get("gid").asLong());
		List<Long> expected = new ArrayList<>();
		result.get("groups").forEach((gid) -> expected.add(gid.asLong()));
		assertThat(groupsOf(reply)).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(groupsOf(reply).get(0)).as("primary group first").isEqualTo(reply.get("gid").asLong());
	}

	private static dev.udsboot.listener.UdsListenerStatistics statistics(ApplicationContext context, String name) {
		return context.getBean(UdsListenerEndpointRegistry.class).getListenerContainer(name).getStatistics();
	}

	record Identity(long pid, long uid, long gid, List<Long> gids, boolean sameAsSession) {
	}

	@Configuration(proxyBeanMethods = false)

	static class Handlers {

		final AtomicInteger calls = new AtomicInteger();

		@UdsHandler("whoami")
		PeerCredentials whoami(PeerCredentials peer) {
			this.calls.incrementAndGet();
			return peer;
		}

		@UdsHandler({ "uids", "gids" })
		Identity guarded(String line, PeerCredentials peer, UdsSession session) {
			this.calls.incrementAndGet();
			return new Identity(peer.pid(), peer.uid(), peer.gid(), peer.gids(),
					peer.equals(session.peerCredentials()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		Handlers handlers() {
			return new Handlers();
		}

	}

}
