package dev.udsboot.listener;

import java.util.Set;

/**
 * Creates the container for one listener; holds the configured listeners and the settings all
 * containers share.
 */
public interface UdsListenerContainerFactory {

	/**
	 * Returns the names of the configured listeners.
	 * @return the listener names
	 */
	Set<String> getListenerNames();

	/**
	 * Creates the container that serves a listener with an endpoint.
	 * @param endpoint the endpoint serving it
	 * @param listenerName one of {@link #getListenerNames()}
	 * @return a container, not yet started
	 * @throws IllegalArgumentException if no listener of that name is configured
	 */
	UdsListenerContainer createListenerContainer(UdsListenerEndpoint endpoint, String listenerName);

}
