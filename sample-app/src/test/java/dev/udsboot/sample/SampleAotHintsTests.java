package dev.udsboot.sample;

import java.io.FileDescriptor;
import java.lang.reflect.Method;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFSocket;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import dev.udsboot.socket.PeerCredentials;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints Spring's AOT processing registers for the sample's handlers, as it does when it
 * builds the AOT-processed app: each handler method for invocation, its JSON reply types for
 * binding, and the starter's own hints (junixsocket's internals) from {@code aot.factories}.
 */
class SampleAotHintsTests {

	private static RuntimeHints hints;

	@BeforeAll
	static void processAheadOfTime() {
		GenericApplicationContext context = new GenericApplicationContext();
		for (Class<?> handlers : new Class<?>[] { EchoHandlers.class, WhoamiHandlers.class, DigestHandlers.class,
				EventsHandlers.class, SeedHandlers.class }) {
			context.registerBean(handlers);
		}
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(SampleApplication.class)), new InMemoryGeneratedFiles());
		new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		hints = generation.getRuntimeHints();
	}

	@Test
	void everyHandlerAndConnectionEventMethodIsRegisteredForInvocation() throws Exception {
		for (Method method : new Method[] { EchoHandlers.class.getMethod("echo", String.class),
				EchoHandlers.class.getMethod("echoDescriptors", String.class, FileDescriptor[].class),
				WhoamiHandlers.class.getMethod("whoami", PeerCredentials.class),
				DigestHandlers.class.getMethod("digest", String.class, FileDescriptor[].class),
				EventsHandlers.class.getMethod("acknowledge", String.class),
				SeedHandlers.class.getMethod("sendHostname", dev.udsboot.listener.UdsSession.class) }) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).as("%s", method)
				.accepts(hints);
		}
	}

	@Test
	void jsonRepliesAreRegisteredForBinding() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(DigestHandlers.Digests.class, "digests"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(DigestHandlers.Digest.class, "sha256"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(PeerCredentials.class, "pid"))
			.as("whoami's reply").accepts(hints);
	}

	@Test
	void theStartersOwnHintsAreRegistered() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AFSocket.class.getDeclaredMethod("getAFImpl")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring-configuration-metadata.json"))
			.accepts(hints);
	}

}
