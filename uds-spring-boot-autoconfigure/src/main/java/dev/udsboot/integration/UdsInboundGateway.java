package dev.udsboot.integration;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.gateway.MessagingGatewaySupport;
import org.springframework.messaging.Message;
import org.springframework.util.ReflectionUtils;

import dev.udsboot.config.UdsListenerHandlerProvider;

/**
 * Serves a listener with a Spring Integration flow, request/reply: each message the listener
 * receives is sent into the flow, and the flow's reply payload is the socket's reply (converted as
 * a {@code @UdsHandler} method's return value is: bytes, text or JSON). A flow that sends no reply
 * within the gateway's reply timeout sends none: the client waits as for a handler that returns
 * {@code null}. What the flow throws goes to the gateway's error channel, if it has one, and else
 * to the listener's error handling, as a handler's exception does.
 */
public class UdsInboundGateway extends MessagingGatewaySupport implements UdsListenerHandlerProvider {

	private static final Method HANDLE = Objects.requireNonNull(
			ReflectionUtils.findMethod(Handler.class, "handle", Message.class));

	private final String listenerName;

	/**
	 * Creates a gateway.
	 * @param listenerName the listener it serves ({@code uds.listeners.<name>})
	 */
	public UdsInboundGateway(String listenerName) {
		this.listenerName = listenerName;
	}

	@Override
	public List<String> getListenerNames() {
		return List.of(this.listenerName);
	}

	@Override
	public Object getHandler() {
		return new Handler();
	}

	@Override
	public Method getHandlerMethod() {
		return HANDLE;
	}

	@Override
	public String getComponentType() {
		return "uds:inbound-gateway";
	}

	/** The listener's handler: into the flow, and its reply back. */
	public final class Handler {

		/**
		 * Sends a received message into the flow and waits for its reply.
		 * @param message the received message
		 * @return the reply's payload, or {@code null} for none
		 */
		public @Nullable Object handle(Message<byte[]> message) {
			Message<?> reply = sendAndReceiveMessage(UdsIntegrationHeaders.toFlow(message));
			return (reply != null) ? reply.getPayload() : null;
		}

	}

}
