package dev.udsboot.integration;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

import org.springframework.integration.endpoint.MessageProducerSupport;
import org.springframework.messaging.Message;
import org.springframework.util.ReflectionUtils;

import dev.udsboot.config.UdsListenerHandlerProvider;

/**
 * Serves a listener with a Spring Integration flow, one way: each message the listener receives
 * is sent to the output channel, and the socket gets no reply. What sending throws goes to the
 * adapter's error channel, if it has one, and else to the listener's error handling.
 */
public class UdsInboundChannelAdapter extends MessageProducerSupport implements UdsListenerHandlerProvider {

	private static final Method HANDLE = Objects.requireNonNull(
			ReflectionUtils.findMethod(Handler.class, "handle", Message.class));

	private final String listenerName;

	/**
	 * Creates an adapter.
	 * @param listenerName the listener it serves ({@code uds.listeners.<name>})
	 */
	public UdsInboundChannelAdapter(String listenerName) {
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
		return "uds:inbound-channel-adapter";
	}

	/** The listener's handler: into the flow, no reply. */
	public final class Handler {

		/**
		 * Sends a received message to the output channel.
		 * @param message the received message
		 */
		public void handle(Message<byte[]> message) {
			sendMessage(UdsIntegrationHeaders.toFlow(message));
		}

	}

}
