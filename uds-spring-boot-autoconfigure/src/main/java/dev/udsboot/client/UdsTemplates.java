package dev.udsboot.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.UdsAddress;

/**
 * The templates for this application's own listeners (loopback use, as in tests): one per
 * listener name, made on first use with the listener's address, type, framing, max-message-size,
 * charset and max-file-descriptors, and the {@code uds.client.*} timeout and pooling. Closed with
 * the application context. Thread-safe.
 */
public class UdsTemplates implements AutoCloseable {

	private final UdsListenerDefinitions listeners;

	private final Supplier<UdsTemplateBuilder> builders;

	private final Map<String, UdsTemplate> templates = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Creates the templates.
	 * @param listeners the application's listeners
	 * @param builders a new builder with the client defaults for every template
	 */
	public UdsTemplates(UdsListenerDefinitions listeners, Supplier<UdsTemplateBuilder> builders) {
		this.listeners = listeners;
		this.builders = builders;
	}

	/**
	 * Returns the template for a listener.
	 * @param listenerName the name under {@code uds.listeners}
	 * @return the template, shared, not to be closed by the caller
	 * @throws IllegalArgumentException if there is no such listener
	 */
	public UdsTemplate forListener(String listenerName) {
		return this.templates.computeIfAbsent(listenerName, this::create);
	}

	private UdsTemplate create(String listenerName) {
		if (this.closed) {
			throw new IllegalStateException("The listener templates are closed (the application context is closing)");
		}
		UdsListenerDefinition definition = this.listeners.find(listenerName);
		if (definition == null) {
			throw new IllegalArgumentException("No listener '" + listenerName + "' (uds.listeners." + listenerName
					+ ") in this application; listeners: " + this.listeners.names());
		}
		UdsAddress address = definition.udsAddress();
		if (address == null) {
			throw new IllegalArgumentException("Listener '" + listenerName + "' is a TCP listener (" + definition.address()
					+ "): UdsTemplate reaches Unix domain sockets only, for now");
		}
		return this.builders.get()
			.target(address)
			.type(definition.type())
			.framing(definition.framing())
			.maxMessageSize(definition.maxMessageSize())
			.charset(definition.charset())
			.maxFileDescriptors(definition.maxFileDescriptors())
			.build();
	}

	/**
	 * Closes every template made.
	 */
	@Override
	public void close() {
		this.closed = true;
		for (String name : this.templates.keySet()) {
			UdsTemplate template = this.templates.remove(name);
			if (template != null) {
				template.close();
			}
		}
	}

}
