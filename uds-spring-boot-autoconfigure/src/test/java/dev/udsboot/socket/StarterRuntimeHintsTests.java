package dev.udsboot.socket;

import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's own hints for a native image, registered through {@code META-INF/spring/aot.factories}
 * as Spring's AOT processing finds them: every junixsocket internal the starter reaches by
 * reflection, the configuration metadata it reads, and Reactor's {@code Mono.block}.
 */
class StarterRuntimeHintsTests {

	private final RuntimeHints hints = registered();

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		List<RuntimeHintsRegistrar> registrars = AotServices.factories().load(RuntimeHintsRegistrar.class).asList();
		registrars.forEach((registrar) -> registrar.registerHints(hints, StarterRuntimeHintsTests.class.getClassLoader()));
		return hints;
	}

	@Test
	void everyJunixsocketInternalTheStarterReachesIsRegistered() {
		List<Member> reached = JunixsocketInternals.reachedMembers();
		assertThat(reached).as("all of them resolve on the pinned junixsocket").hasSize(8);
		for (Member member : reached) {
			if (member instanceof Method method) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).as("%s", method)
					.accepts(this.hints);
			}
			else {
				assertThat(RuntimeHintsPredicates.reflection().onFieldAccess((Field) member)).as("%s", member)
					.accepts(this.hints);
			}
		}
	}

	@Test
	void theConfigurationMetadataAndMonoBlockAreRegistered() throws Exception {
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring-configuration-metadata.json"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/additional-spring-configuration-metadata.json"))
			.accepts(this.hints);
		Method block = Class.forName("reactor.core.publisher.Mono").getMethod("block", Duration.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(block)).accepts(this.hints);
	}

}
