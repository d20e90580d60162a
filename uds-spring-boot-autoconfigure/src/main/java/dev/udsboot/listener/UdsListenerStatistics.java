package dev.udsboot.listener;

import java.util.concurrent.atomic.LongAdder;

import dev.udsboot.framing.FrameRejectedException;

/**
 * Counters of one listener, updated by its container without locking; read by health and
 * metrics. Every count is cumulative since the listener was created.
 */
public final class UdsListenerStatistics {

	private final LongAdder connectionsOpened = new LongAdder();

	private final LongAdder connectionsRefused = new LongAdder();

	private final LongAdder connectionsShed = new LongAdder();

	private final LongAdder messagesReceived = new LongAdder();

	private final LongAdder messagesSent = new LongAdder();

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder handlerErrors = new LongAdder();

	private final LongAdder oversizedFrames = new LongAdder();

	private final LongAdder malformedFrames = new LongAdder();

	private final LongAdder truncatedFrames = new LongAdder();

	private final LongAdder invalidPayloads = new LongAdder();

	private final LongAdder idleTimeouts = new LongAdder();

	private final LongAdder unauthorizedPeers = new LongAdder();

	private final LongAdder descriptorsReceived = new LongAdder();

	private final LongAdder descriptorRejections = new LongAdder();

	private final LongAdder unaddressedReplies = new LongAdder();

	private final LongAdder failedReplies = new LongAdder();

	private final LongAdder handlerInvocations = new LongAdder();

	private final LongAdder handlerNanos = new LongAdder();

	/** Records an event; called by containers. */
	public void connectionOpened() {
		this.connectionsOpened.increment();
	}

	/** Records an event; called by containers. */
	public void connectionRefused() {
		this.connectionsRefused.increment();
	}

	/**
	 * Records a connection closed unserved because the process was out of file descriptors;
	 * called by containers.
	 */
	public void connectionShed() {
		this.connectionsShed.increment();
	}

	/** Records an event; called by containers. */
	public void messageReceived(int bytes) {
		this.messagesReceived.increment();
		this.bytesReceived.add(bytes);
	}

	/** Records an event; called by containers. */
	public void messageSent(int bytes) {
		this.messagesSent.increment();
		this.bytesSent.add(bytes);
	}

	/**
	 * Records a handler invocation, whatever its outcome; called by containers.
	 * @param nanos how long the handler ran
	 */
	public void handlerCompleted(long nanos) {
		this.handlerInvocations.increment();
		this.handlerNanos.add(nanos);
	}

	/** Records an event; called by containers. */
	public void handlerFailed() {
		this.handlerErrors.increment();
	}

	/** Records an event; called by containers. */
	public void frameRejected(FrameRejectedException.Reason reason) {
		switch (reason) {
			case TOO_LARGE -> this.oversizedFrames.increment();
			case MALFORMED -> this.malformedFrames.increment();
			case TRUNCATED -> this.truncatedFrames.increment();
			case TOO_MANY_DESCRIPTORS -> this.descriptorRejections.increment();
		}
	}

	/** Records a message whose payload could not be converted for its handler; called by containers. */
	public void payloadRejected() {
		this.invalidPayloads.increment();
	}

	/** Records an event; called by containers. */
	public void idleTimedOut() {
		this.idleTimeouts.increment();
	}

	/** Records an event; called by containers. */
	public void peerUnauthorized() {
		this.unauthorizedPeers.increment();
	}

	/**
	 * Records descriptors received with a message; called by containers.
	 * @param count how many
	 */
	public void descriptorsReceived(int count) {
		this.descriptorsReceived.add(count);
	}

	/** Records a message rejected for carrying too many descriptors; called by containers. */
	public void descriptorsRejected() {
		this.descriptorRejections.increment();
	}

	/** Records a datagram reply dropped because its sender had no address; called by containers. */
	public void replyUnaddressed() {
		this.unaddressedReplies.increment();
	}

	/**
	 * Records a datagram reply that could not be delivered (the sender had gone or was not
	 * reading); called by containers.
	 */
	public void replyFailed() {
		this.failedReplies.increment();
	}

	/** @return datagram replies dropped because the sender had not bound an address to answer */
	public long unaddressedReplies() {
		return this.unaddressedReplies.sum();
	}

	/** @return datagram replies not delivered: the sender had gone, or did not read in time */
	public long failedReplies() {
		return this.failedReplies.sum();
	}

	/** @return file descriptors received with messages */
	public long descriptorsReceived() {
		return this.descriptorsReceived.sum();
	}

	/** @return messages rejected for carrying more than max-file-descriptors */
	public long descriptorRejections() {
		return this.descriptorRejections.sum();
	}

	/** @return connections closed because the peer was not in the allow-lists */
	public long unauthorizedPeers() {
		return this.unauthorizedPeers.sum();
	}

	/** @return connections accepted and served */
	public long connectionsOpened() {
		return this.connectionsOpened.sum();
	}

	/** @return connections closed at once because max-connections was reached */
	public long connectionsRefused() {
		return this.connectionsRefused.sum();
	}

	/** @return connections closed unserved because the process was out of file descriptors */
	public long connectionsShed() {
		return this.connectionsShed.sum();
	}

	/** @return messages received and handed to the handler */
	public long messagesReceived() {
		return this.messagesReceived.sum();
	}

	/** @return replies and session sends written */
	public long messagesSent() {
		return this.messagesSent.sum();
	}

	/** @return payload bytes received */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/** @return payload bytes sent */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/** @return handler invocations that failed */
	public long handlerErrors() {
		return this.handlerErrors.sum();
	}

	/** @return frames over max-message-size */
	public long oversizedFrames() {
		return this.oversizedFrames.sum();
	}

	/** @return frames that broke the framing */
	public long malformedFrames() {
		return this.malformedFrames.sum();
	}

	/** @return messages whose payload could not be converted to the handler's parameter type */
	public long invalidPayloads() {
		return this.invalidPayloads.sum();
	}

	/** @return connections closed by the client in the middle of a frame */
	public long truncatedFrames() {
		return this.truncatedFrames.sum();
	}

	/** @return connections closed by idle-timeout */
	public long idleTimeouts() {
		return this.idleTimeouts.sum();
	}

	/**
	 * Returns how many times a handler ran for a message.
	 * @return the count
	 */
	public long handlerInvocations() {
		return this.handlerInvocations.sum();
	}

	/**
	 * Returns how long handlers ran for messages, in total.
	 * @return nanoseconds
	 */
	public long handlerNanos() {
		return this.handlerNanos.sum();
	}

	/**
	 * Returns every counter by name, in a stable order, for health details.
	 * @return a snapshot of the counters
	 */
	public java.util.Map<String, Long> toMap() {
		java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
		counters.put("connectionsOpened", connectionsOpened());
		counters.put("connectionsRefused", connectionsRefused());
		counters.put("connectionsShed", connectionsShed());
		counters.put("messagesReceived", messagesReceived());
		counters.put("messagesSent", messagesSent());
		counters.put("bytesReceived", bytesReceived());
		counters.put("bytesSent", bytesSent());
		counters.put("handlerInvocations", handlerInvocations());
		counters.put("handlerErrors", handlerErrors());
		counters.put("oversizedFrames", oversizedFrames());
		counters.put("malformedFrames", malformedFrames());
		counters.put("truncatedFrames", truncatedFrames());
		counters.put("invalidPayloads", invalidPayloads());
		counters.put("idleTimeouts", idleTimeouts());
		counters.put("unauthorizedPeers", unauthorizedPeers());
		counters.put("descriptorsReceived", descriptorsReceived());
		counters.put("descriptorRejections", descriptorRejections());
		counters.put("unaddressedReplies", unaddressedReplies());
		counters.put("failedReplies", failedReplies());
		return counters;
	}

}
