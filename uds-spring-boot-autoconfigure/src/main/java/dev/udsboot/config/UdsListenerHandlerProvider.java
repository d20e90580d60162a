package dev.udsboot.config;

import java.lang.reflect.Method;
import java.util.List;

/**
 * A bean that serves listeners through a method of an object of its own, as a {@code @UdsHandler}
 * method serves them, without the annotation: Spring Integration's inbound endpoints are such
 * beans. The method's parameters and return value are resolved and converted as a
 * {@code @UdsHandler} method's are, the listener's error handler applies to what it throws, and
 * startup checks its listeners as it checks a handler's.
 */
public interface UdsListenerHandlerProvider {

	/**
	 * Returns the listeners served.
	 * @return names under {@code uds.listeners}
	 */
	List<String> getListenerNames();

	/**
	 * Returns the object whose method handles the messages.
	 * @return the handler
	 */
	Object getHandler();

	/**
	 * Returns the method that handles each message.
	 * @return a public method of {@link #getHandler()}'s class
	 */
	Method getHandlerMethod();

}
