package dev.udsboot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.DefaultUdsListenerContainerFactory;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.SocketFileOptions;

/**
 * Applies {@code uds.*} properties to a {@link DefaultUdsListenerContainerFactory}, so a factory
 * built by hand can start from the same settings as the auto-configured one.
 */
public class UdsListenerContainerFactoryConfigurer {

	private final UdsProperties properties;

	/**
	 * Creates a configurer.
	 * @param properties the validated properties
	 */
	public UdsListenerContainerFactoryConfigurer(UdsProperties properties) {
		this.properties = properties;
	}

	/**
	 * Applies the listener definitions.
	 * @param factory the factory to configure
	 */
	public void configure(DefaultUdsListenerContainerFactory factory) {
		List<UdsListenerDefinition> definitions = this.properties.getListeners()
			.entrySet()
			.stream()
			.map(UdsListenerContainerFactoryConfigurer::toDefinition)
			.toList();
		factory.setListenerDefinitions(definitions);
	}

	static UdsListenerDefinition toDefinition(Map.Entry<String, UdsProperties.Listener> entry) {
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
				(listener.getConcurrency() != null) ? listener.getConcurrency() : UdsListenerDefaults.CONCURRENCY);
	}

}
