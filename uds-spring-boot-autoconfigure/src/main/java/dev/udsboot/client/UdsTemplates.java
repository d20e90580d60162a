package dev.udsboot.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerEndpointRegistry;

/**
 * The templates for this application's own listeners (loopback use, as in tests): one per
 * listener name, made on first use with the listener's address, type, framing, max-message-size,
 * charset and max-file-descriptors, and the {@code uds.client.*} timeout and pooling. Closed with
 * the application context. Thread-safe.
 */
public class UdsTemplates implements AutoCloseable {

	private final UdsListenerEndpointRegistry registry;

	private final Supplier<UdsTemplateBuilder> builders;

	private final Map<String, UdsTemplate> templates = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Creates the templates.
	 * @param registry where the listeners are found
	 * @param builders a new builder with the client defaults for every template
	 */
	public UdsTemplates(UdsListenerEndpointRegistry registry, Supplier<UdsTemplateBuilder> builders) {
		this.registry = registry;
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
		UdsListenerContainer container = this.registry.getListenerContainer(listenerName);
		if (container == null) {
			throw new IllegalArgumentException("No listener '" + listenerName + "' (uds.listeners." + listenerName
					+ ") in this application; listeners: " + this.registry.getListenerContainers().keySet());
		}
		UdsListenerDefinition definition = container.getDefinition();
		return this.builders.get()
			.target(definition.address())
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
