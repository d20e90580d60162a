package dev.udsboot.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.UdsListenerDefinition;

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

	private UdsListenerDefinitions definitions = UdsListenerDefinitions.none();

	/** Whether any catalogue of listeners was given, so that a failure can say where they come from. */
	private boolean definitionsGiven;

	private SocketActivation socketActivation = SocketActivation.none();

	/**
	 * Sets the registry the containers are registered with.
	 * @param registry the registry
	 */
	public void setEndpointRegistry(UdsListenerEndpointRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Sets the configured listeners, which the endpoints are checked against.
	 * @param definitions the configured listeners; none if never set
	 */
	public void setListenerDefinitions(UdsListenerDefinitions definitions) {
		this.definitions = definitions;
		this.definitionsGiven = true;
	}

	/**
	 * Sets which listeners serve sockets passed by systemd.
	 * @param socketActivation the assignment; {@link SocketActivation#none()} if never set
	 */
	public void setSocketActivation(SocketActivation socketActivation) {
		this.socketActivation = socketActivation;
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
	 * @throws UdsStartupException naming the listener key if the endpoints and listeners do not match
	 */
	public void registerAllEndpoints() {
		if (this.endpoints.isEmpty() && this.openedEndpoints.isEmpty() && this.closedEndpoints.isEmpty()
				&& this.definitions.isEmpty()) {
			return;
		}
		UdsListenerContainerFactory factory = this.containerFactory;
		UdsListenerEndpointRegistry target = this.registry;
		if (factory == null || target == null) {
			throw new UdsStartupException("@UdsHandler methods were found but no UdsListenerContainerFactory is "
					+ "configured.", "Let the auto-configuration create it (uds.enabled=true, the default), or "
							+ "define a bean named '" + dev.udsboot.config.UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME
							+ "'.");
		}
		Map<String, UdsListenerEndpoint> byListener = endpointsByListener(this.definitions.names());
		Map<String, List<UdsListenerEndpoint>> opened = eventEndpointsByListener(this.openedEndpoints,
				this.definitions.names(), "@UdsConnectionOpened");
		Map<String, List<UdsListenerEndpoint>> closed = eventEndpointsByListener(this.closedEndpoints,
				this.definitions.names(), "@UdsConnectionClosed");
		Set<String> unserved = new TreeSet<>(this.definitions.names());
		unserved.removeAll(byListener.keySet());
		unserved.removeAll(opened.keySet());
		unserved.removeAll(closed.keySet());
		if (!unserved.isEmpty()) {
			String name = unserved.iterator().next();
			throw new UdsStartupException("The listener uds.listeners." + name + " is configured, but no @UdsHandler(\""
					+ name + "\"), @UdsConnectionOpened(\"" + name + "\") or @UdsConnectionClosed(\"" + name
					+ "\") method serves it" + servedNames() + ".",
					"Add a method annotated @UdsHandler(\"" + name + "\") to a bean of the application (a @Component "
							+ "in a package the application scans), or remove uds.listeners." + name
							+ " from the configuration.");
		}
		for (UdsListenerDefinition definition : this.definitions) {
			String name = definition.name();
			UdsListenerEndpoint group = new UdsListenerEndpointGroup(name, byListener.get(name),
					opened.getOrDefault(name, List.of()), closed.getOrDefault(name, List.of()));
			target.registerListenerContainer(name, factory.createListenerContainer(definition,
					this.socketActivation.sourceFor(definition), group));
		}
	}

	private Map<String, List<UdsListenerEndpoint>> eventEndpointsByListener(List<UdsListenerEndpoint> endpoints,
			Set<String> configured, String annotation) {
		Map<String, List<UdsListenerEndpoint>> byListener = new LinkedHashMap<>();
		for (UdsListenerEndpoint endpoint : endpoints) {
			for (String name : endpoint.getListenerNames()) {
				if (!configured.contains(name)) {
					throw notConfigured(annotation, name, endpoint, configured);
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
				throw new UdsStartupException("The @UdsHandler on " + endpoint.describe() + " names no listener.",
						"Name the listener it serves, as configured under uds.listeners: @UdsHandler(\"echo\") serves "
								+ "uds.listeners.echo.");
			}
			for (String name : endpoint.getListenerNames()) {
				if (!configured.contains(name)) {
					throw notConfigured("@UdsHandler", name, endpoint, configured);
				}
				UdsListenerEndpoint previous = byListener.putIfAbsent(name, endpoint);
				if (previous != null) {
					throw new UdsStartupException("The listener uds.listeners." + name
							+ " is served by two @UdsHandler methods: " + previous.describe() + " and "
							+ endpoint.describe() + ".", "Keep one @UdsHandler(\"" + name
									+ "\") method, or configure a second listener for the other one.");
				}
			}
		}
		return byListener;
	}


	private UdsStartupException notConfigured(String annotation, String name, UdsListenerEndpoint endpoint,
			Set<String> configured) {
		String hint = NearestName.in(name, configured)
			.map((nearest) -> " Did you mean '" + nearest + "'?")
			.orElse("");
		return new UdsStartupException(annotation + "(\"" + name + "\") on " + endpoint.describe()
				+ " names a listener that is not configured: there is no uds.listeners." + name
				+ " (configured listeners: " + (configured.isEmpty() ? "none" : new TreeSet<>(configured)) + ").",
				(this.definitionsGiven ? "Configure the listener (uds.listeners." + name + ".path or uds.listeners."
						+ name + ".abstract-name)" : "Define the listener: there is no UdsListenerDefinitions bean (the "
								+ "auto-configuration makes one from uds.listeners.*; without it, define one)")
						+ ", or correct the name in " + annotation + "." + hint);
	}

	private String servedNames() {
		Set<String> named = new TreeSet<>();
		this.endpoints.forEach((endpoint) -> named.addAll(endpoint.getListenerNames()));
		this.openedEndpoints.forEach((endpoint) -> named.addAll(endpoint.getListenerNames()));
		this.closedEndpoints.forEach((endpoint) -> named.addAll(endpoint.getListenerNames()));
		return named.isEmpty() ? " (no handler methods were found at all)" : " (handler methods serve " + named + ")";
	}

}
