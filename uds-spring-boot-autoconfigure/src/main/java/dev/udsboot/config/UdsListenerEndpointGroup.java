package dev.udsboot.config;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.ListenerCapability;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.api.UdsListenerErrorHandler;

/**
 * Everything that serves one listener: its message endpoint, if any, and its connection-opened
 * and connection-closed endpoints. A listener with only event handlers reads and drops messages.
 */
public class UdsListenerEndpointGroup implements UdsListenerEndpoint {

	/** Connection-event handlers fail as their annotations promise: the failure goes on. */
	private static final UdsListenerErrorHandler EVENT_FAILURES = (message, exception) -> {
		throw exception;
	};

	private final String listenerName;

	private final @Nullable UdsListenerEndpoint messages;

	private final List<UdsListenerEndpoint> opened;

	private final List<UdsListenerEndpoint> closed;

	/**
	 * Creates a group.
	 * @param listenerName the listener
	 * @param messages its message endpoint, or {@code null}
	 * @param opened its connection-opened endpoints
	 * @param closed its connection-closed endpoints
	 */
	public UdsListenerEndpointGroup(String listenerName, @Nullable UdsListenerEndpoint messages,
			List<UdsListenerEndpoint> opened, List<UdsListenerEndpoint> closed) {
		this.listenerName = listenerName;
		this.messages = messages;
		this.opened = List.copyOf(opened);
		this.closed = List.copyOf(closed);
	}

	@Override
	public List<String> getListenerNames() {
		return List.of(this.listenerName);
	}

	@Override
	public String describe() {
		List<String> parts = new ArrayList<>();
		if (this.messages != null) {
			parts.add(this.messages.describe());
		}
		this.opened.forEach((endpoint) -> parts.add("opened: " + endpoint.describe()));
		this.closed.forEach((endpoint) -> parts.add("closed: " + endpoint.describe()));
		return String.join(", ", parts);
	}

	@Override
	public UdsMessageListener createMessageListener(UdsListenerDefinition definition,
			@Nullable UdsListenerErrorHandler defaultErrorHandler) {
		UdsMessageListener messageListener = (this.messages != null)
				? this.messages.createMessageListener(definition, defaultErrorHandler) : (payload, peer) -> null;
		if (this.opened.isEmpty() && this.closed.isEmpty()) {
			return messageListener;
		}
		if (!definition.has(ListenerCapability.CONNECTIONS)) {
			throw new UdsStartupException("@UdsConnectionOpened and @UdsConnectionClosed handlers need a stream "
					+ "listener, and " + definition.describe() + " is a datagram listener ("
					+ definition.propertyPrefix() + "type=datagram): datagrams have no connection (" + describe()
					+ ").", "Remove the connection handlers, or make the listener a stream listener ("
							+ definition.propertyPrefix() + "type=stream).");
		}
		// not the message error handlers: whatever they answer for messages, a failing opened
		// handler closes its connection and a failing closed handler is logged
		return new ConnectionEventsMessageListener(messageListener,
				this.opened.stream().map((e) -> e.createMessageListener(definition, EVENT_FAILURES)).toList(),
				this.closed.stream().map((e) -> e.createMessageListener(definition, EVENT_FAILURES)).toList());
	}

}
