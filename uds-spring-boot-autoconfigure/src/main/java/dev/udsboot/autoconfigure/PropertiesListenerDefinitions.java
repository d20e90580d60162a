package dev.udsboot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;

import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.framing.Framing;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.SocketFileOptions;

/**
 * Maps {@code uds.listeners.*} to the runtime's {@link UdsListenerDefinitions}, applying the
 * defaults of unset properties.
 */
final class PropertiesListenerDefinitions {

	private PropertiesListenerDefinitions() {
	}

	/**
	 * Returns the configured listeners.
	 * @param properties the validated properties
	 * @return one definition per {@code uds.listeners.<name>}, in configuration order
	 */
	static UdsListenerDefinitions from(UdsProperties properties) {
		return UdsListenerDefinitions.of(properties.getListeners()
			.entrySet()
			.stream()
			.map(PropertiesListenerDefinitions::toDefinition)
			.toList());
	}

	private static UdsListenerDefinition toDefinition(Map.Entry<String, UdsProperties.Listener> entry) {
		String name = entry.getKey();
		UdsProperties.Listener listener = entry.getValue();
		SocketFileOptions socketFile = listener.toSocketFileOptions("uds.listeners." + name + ".");
		Framing framing = (listener.getFraming() != null) ? listener.getFraming() : UdsListenerDefaults.FRAMING;
		return new UdsListenerDefinition(name, listener.getType(),
				UdsProperties.address("uds.listeners." + name + ".", listener), framing,
				(int) listener.getMaxMessageSize().toBytes(), socketFile, listener.getBacklog(),
				listener.getMaxConnections(), listener.getIdleTimeout(),
				new LinkedHashSet<>(listener.getAllowedUids()), new LinkedHashSet<>(listener.getAllowedGids()),
				listener.getMaxFileDescriptors(), listener.getCharset(),
				(listener.getConcurrency() != null) ? listener.getConcurrency() : UdsListenerDefaults.CONCURRENCY,
				listener.getActivation());
	}

}
