package dev.udsboot.management;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Registers, for a native image, what the management socket's servlet reaches by reflection:
 * Reactor's {@code Mono.block(Duration)}, with which it waits for a WebFlux application's Actuator,
 * if Reactor is there.
 */
public class ManagementRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerTypeIfPresent(classLoader, ActuatorEndpointServlet.REACTIVE_PUBLISHER_CLASS,
					(type) -> type.withMethod(ActuatorEndpointServlet.REACTIVE_BLOCK,
							List.of(TypeReference.of(Duration.class)), ExecutableMode.INVOKE));
	}

}
