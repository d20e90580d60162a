package dev.udsboot.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

import dev.udsboot.socket.ListenerAddress;

/**
 * What an Observation of a template's exchange knows: the target, whether a reply was awaited,
 * the request's size and the outcome. A socket message has no headers, so no trace context goes
 * with it.
 */
public class UdsTemplateObservationContext extends SenderContext<ListenerAddress> {

	private final ListenerAddress target;

	private final boolean awaitsReply;

	private final int payloadBytes;

	private UdsOutcome outcome = UdsOutcome.UNKNOWN;

	/**
	 * Creates the context of one exchange.
	 * @param target where the template sends
	 * @param awaitsReply whether the template waits for a reply
	 * @param payloadBytes the request's size
	 */
	public UdsTemplateObservationContext(ListenerAddress target, boolean awaitsReply, int payloadBytes) {
		super((carrier, key, value) -> {
		}, Kind.CLIENT);
		setCarrier(target);
		setRemoteServiceName("uds");
		setRemoteServiceAddress(target.toString());
		this.target = target;
		this.awaitsReply = awaitsReply;
		this.payloadBytes = payloadBytes;
	}

	/**
	 * Returns where the template sends.
	 * @return the target
	 */
	public ListenerAddress getTarget() {
		return this.target;
	}

	/**
	 * Tells whether the template waits for a reply.
	 * @return {@code false} for a one-way send
	 */
	public boolean awaitsReply() {
		return this.awaitsReply;
	}

	/**
	 * Returns the request's size.
	 * @return bytes
	 */
	public int getPayloadBytes() {
		return this.payloadBytes;
	}

	/**
	 * Returns how the exchange ended.
	 * @return the outcome; {@link UdsOutcome#UNKNOWN} while the exchange runs
	 */
	public UdsOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the exchange ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(UdsOutcome outcome) {
		this.outcome = outcome;
	}

}
