package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.framing.FrameRejectedException;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.RateLimitedLog;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.exception.UdsInvalidRequestException;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * Handles each received datagram on the thread that received it: applies the listener's limits,
 * counts it, invokes the {@link UdsMessageListener}, logs a client's mistakes and a handler's
 * failures (rate-limited, per container), and sends the reply to the sender's address before the
 * received descriptors are closed. Thread-safe; one per container, shared by its runs.
 */
final class DatagramDispatcher {

	// the container's log category, the one users set levels for
	private static final Log logger = LogFactory.getLog(DatagramListenerContainer.class);

	private final UdsListenerDefinition definition;

	private final UdsListenerStatistics statistics;

	private final UdsMessageListener messageListener;

	private final RateLimitedLog oversized;

	private final RateLimitedLog tooManyDescriptors;

	private final RateLimitedLog invalidPayloads;

	private final RateLimitedLog handlerFailures;

	/**
	 * Creates a dispatcher.
	 * @param definition the listener, for its limits and log lines
	 * @param statistics its statistics
	 * @param messageListener receives each datagram
	 * @param logInterval the least time between two log lines of one kind
	 */
	DatagramDispatcher(UdsListenerDefinition definition, UdsListenerStatistics statistics,
			UdsMessageListener messageListener, Duration logInterval) {
		this.definition = definition;
		this.statistics = statistics;
		this.messageListener = messageListener;
		this.oversized = new RateLimitedLog(logger, logInterval);
		this.tooManyDescriptors = new RateLimitedLog(logger, logInterval);
		this.invalidPayloads = new RateLimitedLog(logger, logInterval);
		this.handlerFailures = new RateLimitedLog(logger, logInterval);
	}

	/**
	 * Tells whether the listener takes file descriptors, so they are received at all.
	 * @return whether descriptors reach the listener
	 */
	boolean acceptsFileDescriptors() {
		return this.messageListener.acceptsFileDescriptors();
	}

	/**
	 * Counts and logs a datagram dropped for being larger than max-message-size. The receiving
	 * thread tells it (before copying the payload); it is counted here with the other limits.
	 * @param from the sender's address
	 */
	void rejectOversized(@Nullable AFUNIXSocketAddress from) {
		UdsListenerDefinition definition = this.definition;
		this.statistics.frameRejected(FrameRejectedException.Reason.TOO_LARGE);
		this.oversized.warn((count) -> "Dropped " + count
				+ " datagram(s) larger than max-message-size " + definition.maxMessageSize() + " bytes on "
				+ definition.describe() + "; the latest from " + describe(from));
	}

	/**
	 * Handles a datagram; every failure is counted and logged here, never thrown.
	 * @param datagram the datagram received
	 * @param sender sends the reply from the listener's socket
	 */
	void dispatch(Datagram datagram, DatagramSender sender) {
		try {
			handle(datagram, sender);
		}
		catch (RuntimeException | Error ex) {
			this.statistics.handlerFailed();
			this.handlerFailures.error((count) -> "Failed to handle " + count
					+ " datagram(s) on " + this.definition.describe(), ex);
		}
	}

	private void handle(Datagram datagram, DatagramSender sender) {
		InterceptedReplies intercepted = datagram.intercepted();
		if (intercepted != null) {
			intercepted.send();
			return;
		}
		UdsListenerDefinition definition = this.definition;
		UdsListenerStatistics statistics = this.statistics;
		List<FileDescriptor> descriptors = datagram.descriptors();
		if (descriptors.size() > definition.maxFileDescriptors()) {
			ReceivedDescriptors.close(descriptors);
			statistics.descriptorsRejected();
			this.tooManyDescriptors.warn((count) -> "Dropped " + count
					+ " datagram(s) carrying more than max-file-descriptors " + definition.maxFileDescriptors()
					+ " on " + definition.describe() + " (the latest carried " + descriptors.size() + ", from "
					+ describe(datagram.from()) + "); their descriptors were closed");
			return;
		}
		statistics.messageReceived(datagram.payload().length);
		if (!descriptors.isEmpty()) {
			statistics.descriptorsReceived(descriptors.size());
		}
		DatagramPeer peer = new DatagramPeer(definition.name(), datagram.from(), sender);
		// received descriptors are closed after the reply is sent: a reply may send them back
		try {
			EncodedReply reply;
			long start = System.nanoTime();
			try {
				reply = this.messageListener.onMessage(datagram.payload(), descriptors, peer);
			}
			catch (UdsInvalidRequestException ex) {
				statistics.payloadRejected();
				this.invalidPayloads.warn((count) -> count + " datagram(s) with an invalid "
						+ "payload on " + definition.describe() + "; the latest, from " + describe(datagram.from())
						+ ": " + ex.getClientMessage() + ((ex.getReply() != null) ? " (answered with an error reply)"
								: " (not answered)"));
				reply = EncodedReply.answering(ex);
			}
			catch (UdsListenerExecutionFailedException ex) {
				statistics.handlerFailed();
				this.handlerFailures.error((count) -> "No reply to " + count
						+ " datagram(s) on " + definition.describe() + "; the latest, from " + describe(datagram.from())
						+ ": " + ex.getMessage(), ex.getCause());
				return;
			}
			catch (RuntimeException | Error ex) {
				statistics.handlerFailed();
				this.handlerFailures.error((count) -> "No reply to " + count
						+ " datagram(s) on " + definition.describe() + " after an unexpected failure; the latest from "
						+ describe(datagram.from()), ex);
				return;
			}
			finally {
				statistics.handlerCompleted(System.nanoTime() - start);
			}
			if (reply != null) {
				reply.sendTo(peer);
			}
		}
		finally {
			ReceivedDescriptors.close(descriptors);
		}
	}

	private static String describe(@Nullable AFUNIXSocketAddress address) {
		return (address != null) ? address.toString() : "an unbound sender";
	}

}
