package dev.udsboot.config;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.UdsListenerDefinition;

/**
 * The configured listeners, by name: what {@code @UdsHandler} names are checked against and what
 * the registrar creates a container for. Kept apart from the container factory, so a factory
 * (one built by hand too) only decides how a listener is served, never which listeners exist.
 * Registered under {@link UdsConfigUtils#UDS_LISTENER_DEFINITIONS_BEAN_NAME}.
 */
public final class UdsListenerDefinitions implements Iterable<UdsListenerDefinition> {

	private static final UdsListenerDefinitions NONE = new UdsListenerDefinitions(Set.of());

	private final Map<String, UdsListenerDefinition> byName;

	private UdsListenerDefinitions(Collection<UdsListenerDefinition> definitions) {
		Map<String, UdsListenerDefinition> map = new LinkedHashMap<>();
		for (UdsListenerDefinition definition : definitions) {
			if (map.putIfAbsent(definition.name(), definition) != null) {
				throw new IllegalArgumentException("Two listeners are named '" + definition.name() + "'");
			}
		}
		this.byName = Collections.unmodifiableMap(map);
	}

	/**
	 * Returns a catalogue of listeners, in the order given.
	 * @param definitions the listeners
	 * @return the catalogue
	 * @throws IllegalArgumentException if two listeners share a name
	 */
	public static UdsListenerDefinitions of(Collection<UdsListenerDefinition> definitions) {
		return new UdsListenerDefinitions(definitions);
	}

	/**
	 * Returns the catalogue of an application that configures no listener.
	 * @return an empty catalogue
	 */
	public static UdsListenerDefinitions none() {
		return NONE;
	}

	/**
	 * Returns the names of the configured listeners, in configuration order.
	 * @return the names, as in {@code uds.listeners.<name>}
	 */
	public Set<String> names() {
		return this.byName.keySet();
	}

	/**
	 * Returns one configured listener.
	 * @param name the listener's name
	 * @return its definition, or {@code null} if none is configured under that name
	 */
	public @Nullable UdsListenerDefinition find(String name) {
		return this.byName.get(name);
	}

	/**
	 * Tells whether no listener is configured.
	 * @return {@code true} if there is none
	 */
	public boolean isEmpty() {
		return this.byName.isEmpty();
	}

	@Override
	public Iterator<UdsListenerDefinition> iterator() {
		return this.byName.values().iterator();
	}

}
