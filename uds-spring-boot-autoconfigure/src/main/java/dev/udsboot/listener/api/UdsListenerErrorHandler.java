package dev.udsboot.listener.api;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;

/**
 * Decides what a client gets when a handler fails. A non-null return value is sent as the reply
 * (converted like a handler's return value) and the connection stays open; {@code null} sends
 * nothing and keeps the connection; throwing closes the connection.
 * <p>
 * Name a bean of this type in {@code @UdsHandler(errorHandler = "...")}; to change the default
 * for every handler, set one on the container factory (a
 * {@code UdsListenerContainerFactoryCustomizer} calling {@code setErrorHandler}). Without either,
 * {@link DefaultUdsListenerErrorHandler} applies.
 */
@FunctionalInterface
public interface UdsListenerErrorHandler {

	/**
	 * Handles a handler failure.
	 * @param message the message the handler was given
	 * @param exception the failure, naming listener, bean and method; its cause is what the
	 * handler threw
	 * @return the reply, or {@code null} for none
	 * @throws Exception to close the connection
	 */
	@Nullable Object handleError(Message<?> message, UdsListenerExecutionFailedException exception) throws Exception;

}
