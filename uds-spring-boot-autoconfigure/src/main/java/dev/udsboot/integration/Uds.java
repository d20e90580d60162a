package dev.udsboot.integration;

import org.springframework.integration.dsl.MessageProducerSpec;
import org.springframework.integration.dsl.MessagingGatewaySpec;

/**
 * The Java DSL's entry to the starter's listeners:
 * {@code IntegrationFlow.from(Uds.inboundGateway("echo")).handle(...).get()}.
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
