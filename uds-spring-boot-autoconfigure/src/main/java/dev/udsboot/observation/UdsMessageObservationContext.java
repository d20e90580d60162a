package dev.udsboot.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.listener.UdsPeer;

/**
 * What an Observation of a handled message knows: the listener, the peer (the carrier, though a
 * socket message has no headers to carry a trace context: each message starts its trace), the
 * payload's size and the outcome.
 */
public class UdsMessageObservationContext extends ReceiverContext<UdsPeer> {

	private final String listenerName;

	private final UdsListenerType listenerType;

	private final int payloadBytes;

	private UdsOutcome outcome = UdsOutcome.UNKNOWN;

	/**
	 * Creates the context of one message.
	 * @param listenerName the listener's name
	 * @param listenerType its type
	 * @param peer who sent the message
	 * @param payloadBytes the payload's size
	 */
	public UdsMessageObservationContext(String listenerName, UdsListenerType listenerType, UdsPeer peer,
			int payloadBytes) {
		super((carrier, key) -> null, Kind.SERVER);
		setCarrier(peer);
		setRemoteServiceName("uds");
		this.listenerName = listenerName;
		this.listenerType = listenerType;
		this.payloadBytes = payloadBytes;
	}

	/**
	 * Returns the listener's name.
	 * @return the name under {@code uds.listeners}
	 */
	public String getListenerName() {
		return this.listenerName;
	}

	/**
	 * Returns the listener's type.
	 * @return stream, datagram or TCP
	 */
	public UdsListenerType getListenerType() {
		return this.listenerType;
	}

	/**
	 * Returns the payload's size.
	 * @return bytes
	 */
	public int getPayloadBytes() {
		return this.payloadBytes;
	}

	/**
	 * Returns how the handler ended.
	 * @return the outcome; {@link UdsOutcome#UNKNOWN} while the handler runs
	 */
	public UdsOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the handler ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(UdsOutcome outcome) {
		this.outcome = outcome;
	}

}
