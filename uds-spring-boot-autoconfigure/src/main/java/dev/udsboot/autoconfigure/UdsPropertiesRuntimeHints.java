package dev.udsboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Registers, for a native image, the configuration metadata that the check for unknown
 * {@code uds.*} keys reads at startup ({@link UdsPropertyNames}).
 */
public class UdsPropertiesRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String metadata : UdsPropertyNames.METADATA) {
			hints.resources().registerPattern(metadata);
		}
	}

}
