package dev.udsboot.integration;

import org.springframework.integration.dsl.MessageProducerSpec;
import org.springframework.integration.dsl.MessagingGatewaySpec;

import dev.udsboot.client.UdsTemplate;

/**
 * The Java DSL's entry to the starter's listeners and templates:
 * {@code IntegrationFlow.from(Uds.inboundGateway("echo")).handle(...).get()}, and
 * {@code .handle(Uds.outboundGateway(template))}.
 */
public final class Uds {

	private Uds() {
	}

	/**
	 * Serves a listener with a flow, request/reply.
	 * @param listenerName the listener ({@code uds.listeners.<name>})
	 * @return the gateway's spec
	 */
	public static InboundGatewaySpec inboundGateway(String listenerName) {
		return new InboundGatewaySpec(new UdsInboundGateway(listenerName));
	}

	/**
	 * Serves a listener with a flow, one way.
	 * @param listenerName the listener ({@code uds.listeners.<name>})
	 * @return the adapter's spec
	 */
	public static InboundAdapterSpec inboundAdapter(String listenerName) {
		return new InboundAdapterSpec(new UdsInboundChannelAdapter(listenerName));
	}

	/**
	 * Sends a flow's messages through a template and makes the replies the flow's:
	 * {@code .handle(Uds.outboundGateway(template))}.
	 * @param template the template
	 * @return the handler, replies as {@code byte[]}
	 */
	public static UdsOutboundGateway outboundGateway(UdsTemplate template) {
		return new UdsOutboundGateway(template);
	}

	/**
	 * Sends a flow's messages through a template, replies as the type given.
	 * @param template the template
	 * @param replyType what the replies are converted to
	 * @return the handler
	 */
	public static UdsOutboundGateway outboundGateway(UdsTemplate template, Class<?> replyType) {
		UdsOutboundGateway gateway = new UdsOutboundGateway(template);
		gateway.setReplyType(replyType);
		return gateway;
	}

	/**
	 * Sends a flow's messages through a template, one way: {@code .handle(Uds.outboundAdapter(template))}.
	 * @param template the template
	 * @return the handler
	 */
	public static UdsOutboundChannelAdapter outboundAdapter(UdsTemplate template) {
		return new UdsOutboundChannelAdapter(template);
	}

	/** The spec of a {@link UdsInboundGateway}: reply timeout, error channel and the rest, as for any gateway. */
	public static final class InboundGatewaySpec extends MessagingGatewaySpec<InboundGatewaySpec, UdsInboundGateway> {

		InboundGatewaySpec(UdsInboundGateway gateway) {
			super(gateway);
		}

	}

	/** The spec of a {@link UdsInboundChannelAdapter}: error channel and the rest, as for any producer. */
	public static final class InboundAdapterSpec
			extends MessageProducerSpec<InboundAdapterSpec, UdsInboundChannelAdapter> {

		InboundAdapterSpec(UdsInboundChannelAdapter adapter) {
			super(adapter);
		}

	}

}
