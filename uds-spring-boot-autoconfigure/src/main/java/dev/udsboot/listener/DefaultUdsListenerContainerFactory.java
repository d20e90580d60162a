package dev.udsboot.listener;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.api.UdsListenerErrorHandler;
import dev.udsboot.listener.datagram.DatagramListenerContainer;
import dev.udsboot.listener.stream.StreamListenerContainer;

/**
 * The container factory: stream listeners get a {@link StreamListenerContainer}, datagram
 * listeners a {@link DatagramListenerContainer}.
 */
public class DefaultUdsListenerContainerFactory implements UdsListenerContainerFactory {

	private final Map<String, UdsListenerDefinition> definitions = new LinkedHashMap<>();

	private @Nullable UdsListenerErrorHandler errorHandler;

	private Duration threadKeepAlive = Duration.ofSeconds(10);

	/**
	 * Sets the listeners this factory can create containers for, replacing any set before.
	 * @param definitions the listener definitions
	 */
	public void setListenerDefinitions(Collection<UdsListenerDefinition> definitions) {
		this.definitions.clear();
		definitions.forEach((definition) -> this.definitions.put(definition.name(), definition));
	}

	/**
	 * Returns a configured listener.
	 * @param name the listener name
	 * @return its definition, or {@code null}
	 */
	public @Nullable UdsListenerDefinition getListenerDefinition(String name) {
		return this.definitions.get(name);
	}

	/**
	 * Sets the error handler for endpoints that name none.
	 * @param errorHandler the error handler, or {@code null} for
	 * {@link dev.udsboot.listener.api.DefaultUdsListenerErrorHandler}
	 */
	public void setErrorHandler(@Nullable UdsListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Sets how long an idle connection thread is kept for the next connection.
	 * @param threadKeepAlive the keep-alive, default 10 seconds
	 */
	public void setThreadKeepAlive(Duration threadKeepAlive) {
		this.threadKeepAlive = threadKeepAlive;
	}

	@Override
	public Set<String> getListenerNames() {
		return Collections.unmodifiableSet(this.definitions.keySet());
	}

	@Override
	public UdsListenerContainer createListenerContainer(UdsListenerEndpoint endpoint, String listenerName) {
		UdsListenerDefinition definition = this.definitions.get(listenerName);
		if (definition == null) {
			throw new IllegalArgumentException("No listener '" + listenerName + "' is configured");
		}
		UdsMessageListener listener = endpoint.createMessageListener(definition, this.errorHandler);
		return switch (definition.type()) {
			case STREAM -> new StreamListenerContainer(definition, listener, this.threadKeepAlive);
			case DATAGRAM -> new DatagramListenerContainer(definition, listener);
		};
	}

}
