package dev.udsboot.integration;

import org.springframework.integration.handler.AbstractMessageHandler;
import org.springframework.messaging.Message;

import dev.udsboot.client.UdsTemplate;

/**
 * Sends each message of a flow through a {@link UdsTemplate}, one way, with the descriptors the
 * message carries ({@link dev.udsboot.invocation.UdsHeaders#FILE_DESCRIPTORS}).
 */
public class UdsOutboundChannelAdapter extends AbstractMessageHandler {

	private final UdsTemplate template;

	/**
	 * Creates an adapter.
	 * @param template sends the messages; the application closes it
	 */
	public UdsOutboundChannelAdapter(UdsTemplate template) {
		this.template = template;
	}

	@Override
	protected void handleMessageInternal(Message<?> message) {
		this.template.send(message.getPayload(), UdsOutboundGateway.descriptors(message));
	}

	@Override
	public String getComponentType() {
		return "uds:outbound-channel-adapter";
	}

}
