package dev.udsboot.integration;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.handler.AbstractReplyProducingMessageHandler;
import org.springframework.messaging.Message;

import dev.udsboot.client.UdsResponse;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.invocation.UdsHeaders;

/**
 * Sends each message of a flow through a {@link UdsTemplate} and makes the server's reply the
 * flow's: request/reply, over any framing the template speaks. The request's descriptors
 * ({@link UdsHeaders#FILE_DESCRIPTORS}, a list of {@code FileDescriptor}) go with it; the reply is
 * converted to the expected type ({@code byte[]} unless set) and descriptors that come back with
 * it are closed, as a template's caller would close them.
 */
public class UdsOutboundGateway extends AbstractReplyProducingMessageHandler {

	private final UdsTemplate template;

	private Class<?> replyType = byte[].class;

	/**
	 * Creates a gateway.
	 * @param template sends the requests; the application closes it
	 */
	public UdsOutboundGateway(UdsTemplate template) {
		this.template = template;
	}

	/**
	 * Sets what the reply is converted to, as {@link UdsTemplate#sendAndReceive} converts it.
	 * @param replyType {@code byte[]} (the default), {@code String}, or a type read from JSON
	 */
	public void setReplyType(Class<?> replyType) {
		this.replyType = replyType;
	}

	@Override
	protected @Nullable Object handleRequestMessage(Message<?> requestMessage) {
		try (UdsResponse<?> response = this.template.exchange(requestMessage.getPayload(),
				descriptors(requestMessage), this.replyType)) {
			return response.payload();
		}
	}

	@Override
	public String getComponentType() {
		return "uds:outbound-gateway";
	}

	/** The descriptors a message carries for the socket, none if it carries none. */
	static List<FileDescriptor> descriptors(Message<?> message) {
		Object header = message.getHeaders().get(UdsHeaders.FILE_DESCRIPTORS);
		if (!(header instanceof List<?> list)) {
			return List.of();
		}
		return list.stream().filter(FileDescriptor.class::isInstance).map(FileDescriptor.class::cast).toList();
	}

}
