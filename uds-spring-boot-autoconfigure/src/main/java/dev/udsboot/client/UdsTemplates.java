package dev.udsboot.client;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.TcpTls;

/**
 * The templates for this application's own listeners (loopback use, as in tests): one per
 * listener name, made on first use with the listener's address, type, framing, max-message-size,
 * charset and max-file-descriptors, and the {@code uds.client.*} timeout and pooling. Closed with
 * the application context. Thread-safe.
 */
public class UdsTemplates implements AutoCloseable {

	private final UdsListenerDefinitions listeners;

	private final Supplier<UdsTemplateBuilder> builders;

	private final Function<String, @Nullable UdsListenerContainer> containers;

	private final Map<String, UdsTemplate> templates = new ConcurrentHashMap<>();

	private volatile boolean closed;

	/**
	 * Creates the templates.
	 * @param listeners the application's listeners
	 * @param builders a new builder with the client defaults for every template
	 */
	public UdsTemplates(UdsListenerDefinitions listeners, Supplier<UdsTemplateBuilder> builders) {
		this(listeners, (name) -> null, builders);
	}

	/**
	 * Creates the templates.
	 * @param listeners the application's listeners
	 * @param containers finds a listener's running container, which knows the port a TCP
	 * listener on port 0 took; {@code null} if there is none
	 * @param builders a new builder with the client defaults for every template
	 */
	public UdsTemplates(UdsListenerDefinitions listeners,
			Function<String, @Nullable UdsListenerContainer> containers, Supplier<UdsTemplateBuilder> builders) {
		this.listeners = listeners;
		this.containers = containers;
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
		UdsTemplateBuilder builder = this.builders.get();
		UdsListenerContainer container = this.containers.apply(listenerName);
		ListenerAddress address = (container != null) ? container.getAddress() : definition.address();
		if (address instanceof TcpAddress tcp && tcp.port() == 0) {
			throw new IllegalStateException("Listener '" + listenerName + "' listens on any free port, and has not "
					+ "started: its port is not known yet");
		}
		TcpTls tls = definition.tls();
		if (tls != null) {
			try {
				// pinned to the listener's own certificate, whatever host name it bears
				builder.ssl(tls.ownClientContext(), false);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Cannot make the TLS context for listener '" + listenerName + "'", ex);
			}
		}
		return builder.target(address)
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
