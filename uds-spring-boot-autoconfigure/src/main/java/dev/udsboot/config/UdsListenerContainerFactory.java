package dev.udsboot.config;

import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.source.ListenerSocketSource;

/**
 * Creates the container that serves one listener: decides how a listener is served (threads,
 * error handling), never which listeners exist (that is {@link UdsListenerDefinitions}) nor where
 * their sockets come from (that is {@link SocketActivation}).
 */
@FunctionalInterface
public interface UdsListenerContainerFactory {

	/**
	 * Creates the container that serves a listener with an endpoint.
	 * @param definition the configured listener
	 * @param source where its socket comes from: its own path or abstract name, or a socket
	 * passed by systemd
	 * @param endpoint the endpoint serving it
	 * @return a container, not yet started
	 * @throws dev.udsboot.UdsStartupException if the endpoint cannot serve that listener
	 */
	UdsListenerContainer createListenerContainer(UdsListenerDefinition definition, ListenerSocketSource source,
			UdsListenerEndpoint endpoint);

}
