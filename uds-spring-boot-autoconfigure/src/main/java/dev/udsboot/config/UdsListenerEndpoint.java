package dev.udsboot.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.api.UdsListenerErrorHandler;

/**
 * What serves messages on one or more listeners: typically a {@code @UdsHandler} method
 * ({@link MethodUdsListenerEndpoint}).
 */
public interface UdsListenerEndpoint {

	/**
	 * Returns the names of the listeners this endpoint serves.
	 * @return the listener names, as in {@code uds.listeners.<name>}
	 */
	List<String> getListenerNames();

	/**
	 * Describes the endpoint for error messages, e.g. the bean and method.
	 * @return a description
	 */
	String describe();

	/**
	 * Creates the message listener that serves one of this endpoint's listeners.
	 * @param definition the listener's definition
	 * @param defaultErrorHandler used when the endpoint names no error handler of its own
	 * @return the message listener
	 */
	UdsMessageListener createMessageListener(UdsListenerDefinition definition,
			@Nullable UdsListenerErrorHandler defaultErrorHandler);

}
