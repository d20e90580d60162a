package dev.udsboot.listener.exception;

import dev.udsboot.UdsException;

/**
 * A handler method failed (or its arguments or return value could not be converted). The message
 * names the listener, the bean and the method; the cause is the original exception.
 */
public class UdsListenerExecutionFailedException extends UdsException {

	private static final long serialVersionUID = 1L;

	private final String listenerName;

	/**
	 * Creates an exception.
	 * @param listenerName the listener the message arrived on
	 * @param message names the bean and method
	 * @param cause what the handler threw
	 */
	public UdsListenerExecutionFailedException(String listenerName, String message, Throwable cause) {
		super(message, cause);
		this.listenerName = listenerName;
	}

	/**
	 * Returns the listener the failed message arrived on.
	 * @return the listener name
	 */
	public String getListenerName() {
		return this.listenerName;
	}

}
