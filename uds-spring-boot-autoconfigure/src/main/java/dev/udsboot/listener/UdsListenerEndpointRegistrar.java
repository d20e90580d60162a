package dev.udsboot.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsException;

/**
 * Collects endpoints while beans are processed, then checks them against the configured listeners
 * and registers one container per listener with the {@link UdsListenerEndpointRegistry}. Startup
 * fails, naming the key, if a handler names a listener that is not configured, if two handlers
 * serve one listener, or if a configured listener has no handler.
 */
public class UdsListenerEndpointRegistrar {

	private final List<UdsListenerEndpoint> endpoints = new ArrayList<>();

	private final List<UdsListenerEndpoint> openedEndpoints = new ArrayList<>();

	private final List<UdsListenerEndpoint> closedEndpoints = new ArrayList<>();

	private @Nullable UdsListenerEndpointRegistry registry;

	private @Nullable UdsListenerContainerFactory containerFactory;

	/**
	 * Sets the registry the containers are registered with.
	 * @param registry the registry
	 */
	public void setEndpointRegistry(UdsListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Sets the factory that creates the containers.
	 * @param containerFactory the factory
	 */
	public void setContainerFactory(UdsListenerContainerFactory containerFactory) {
		this.containerFactory = containerFactory;
	}

	/**
	 * Adds an endpoint.
	 * @param endpoint the endpoint
	 */
	public void registerEndpoint(UdsListenerEndpoint endpoint) {
		this.endpoints.add(endpoint);
	}

	/**
	 * Adds an endpoint called when a connection opens.
	 * @param endpoint the endpoint
	 */
	public void registerConnectionOpenedEndpoint(UdsListenerEndpoint endpoint) {
		this.openedEndpoints.add(endpoint);
	}

	/**
	 * Adds an endpoint called after a connection closes.
	 * @param endpoint the endpoint
	 */
	public void registerConnectionClosedEndpoint(UdsListenerEndpoint endpoint) {
		this.closedEndpoints.add(endpoint);
	}

	/**
	 * Checks the endpoints against the configured listeners and registers the containers.
	 * @throws UdsException naming the listener key if the endpoints and listeners do not match
	 */
	public void registerAllEndpoints() {
		if (this.endpoints.isEmpty() && this.openedEndpoints.isEmpty() && this.closedEndpoints.isEmpty()
				&& (this.containerFactory == null
				|| this.containerFactory.getListenerNames().isEmpty())) {
			return;
		}
		UdsListenerContainerFactory factory = this.containerFactory;
		UdsListenerEndpointRegistry target = this.registry;
		if (factory == null || target == null) {
			throw new UdsException("@UdsHandler methods were found but no UdsListenerContainerFactory is configured");
		}
		Map<String, UdsListenerEndpoint> byListener = endpointsByListener(factory.getListenerNames());
		Map<String, List<UdsListenerEndpoint>> opened = eventEndpointsByListener(this.openedEndpoints,
				factory.getListenerNames(), "@UdsConnectionOpened");
		Map<String, List<UdsListenerEndpoint>> closed = eventEndpointsByListener(this.closedEndpoints,
				factory.getListenerNames(), "@UdsConnectionClosed");
		Set<String> unserved = new TreeSet<>(factory.getListenerNames());
		unserved.removeAll(byListener.keySet());
		unserved.removeAll(opened.keySet());
		unserved.removeAll(closed.keySet());
		if (!unserved.isEmpty()) {
			String name = unserved.iterator().next();
			throw new UdsException("uds.listeners." + name + " is configured but no @UdsHandler(\"" + name
					+ "\") or connection handler method serves it; add a handler or remove the listener");
		}
		for (String name : factory.getListenerNames()) {
			UdsListenerEndpoint group = new UdsListenerEndpointGroup(name, byListener.get(name),
					opened.getOrDefault(name, List.of()), closed.getOrDefault(name, List.of()));
			target.registerListenerContainer(name, factory.createListenerContainer(group, name));
		}
	}

	private static Map<String, List<UdsListenerEndpoint>> eventEndpointsByListener(List<UdsListenerEndpoint> endpoints,
			Set<String> configured, String annotation) {
		Map<String, List<UdsListenerEndpoint>> byListener = new LinkedHashMap<>();
		for (UdsListenerEndpoint endpoint : endpoints) {
			for (String name : endpoint.getListenerNames()) {
				if (!configured.contains(name)) {
					throw new UdsException(annotation + "(\"" + name + "\") on " + endpoint.describe()
							+ " names a listener that is not configured: no uds.listeners." + name);
				}
				byListener.computeIfAbsent(name, (key) -> new ArrayList<>()).add(endpoint);
			}
		}
		return byListener;
	}

	private Map<String, UdsListenerEndpoint> endpointsByListener(Set<String> configured) {
		Map<String, UdsListenerEndpoint> byListener = new LinkedHashMap<>();
		for (UdsListenerEndpoint endpoint : this.endpoints) {
			if (endpoint.getListenerNames().isEmpty()) {
				throw new UdsException("@UdsHandler on " + endpoint.describe() + " names no listener");
			}
			for (String name : endpoint.getListenerNames()) {
				if (!configured.contains(name)) {
					throw new UdsException("@UdsHandler(\"" + name + "\") on " + endpoint.describe()
							+ " names a listener that is not configured: no uds.listeners." + name
							+ " (configured: " + new TreeSet<>(configured) + ")");
				}
				UdsListenerEndpoint previous = byListener.putIfAbsent(name, endpoint);
				if (previous != null) {
					throw new UdsException("uds.listeners." + name + " is served by two @UdsHandler methods: "
							+ previous.describe() + " and " + endpoint.describe());
				}
			}
		}
		return byListener;
	}

}
