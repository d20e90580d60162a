package dev.udsboot.listener.datagram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.newsclub.net.unix.AFUNIXDatagramChannel;

import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.source.ListenerSocket;

/**
 * The stop-token protocol of one run of a datagram listener: a datagram of our own, with a random
 * payload so that no client can stop the listener, queued behind those the kernel already holds;
 * the thread that receives it stops receiving, and so does every other thread.
 */
final class StopDatagram {

	/** The size of the stop datagram; a receive buffer is never smaller. */
	static final int BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	// the container's log category, the one users set levels for
	private static final Log logger = LogFactory.getLog(DatagramListenerContainer.class);

	private final ListenerSocket<AFUNIXDatagramChannel> socket;

	private final UdsListenerDefinition definition;

	/**
	 * Sends the stop datagram: connected while the socket file is surely ours, so it reaches
	 * this socket whatever happens to the file later.
	 */
	private final AFUNIXDatagramChannel stopper;

	/** The payload of our own stop datagram: random, so no client can stop the listener. */
	private final byte[] token = new byte[BYTES];

	private StopDatagram(ListenerSocket<AFUNIXDatagramChannel> socket, UdsListenerDefinition definition,
			AFUNIXDatagramChannel stopper) {
		RANDOM.nextBytes(this.token);
		this.socket = socket;
		this.definition = definition;
		this.stopper = stopper;
	}

	/**
	 * Opens the channel that sends the stop datagram, connected to the listener's socket.
	 * @param socket the listener's socket, bound
	 * @param definition the listener, for log lines
	 * @return the stop datagram of this socket
	 * @throws IOException if the channel could not be opened or connected
	 */
	static StopDatagram open(ListenerSocket<AFUNIXDatagramChannel> socket, UdsListenerDefinition definition)
			throws IOException {
		AFUNIXDatagramChannel stopper = AFUNIXDatagramChannel.open();
		try {
			stopper.connect(socket.socket().getLocalAddress());
		}
		catch (IOException | RuntimeException ex) {
			stopper.close();
			throw ex;
		}
		return new StopDatagram(socket, definition, stopper);
	}

	/**
	 * Removes the socket file, so no new sender finds the socket, and queues a datagram of our
	 * own behind what the kernel holds: the thread that receives it stops receiving, and so does
	 * every other thread.
	 * @param timeout how long to wait for room in the socket's queue
	 * @return {@code false} if it could not be sent in time
	 */
	boolean send(Duration timeout) {
		this.socket.unpublish();
		try {
			this.stopper.socket().setSoTimeout((int) timeout.toMillis());
			return this.stopper.write(ByteBuffer.wrap(this.token)) == BYTES;
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not wake the threads of " + this.definition.describe()
					+ ": " + ex);
			return false;
		}
	}

	/**
	 * Tells whether a datagram received is our stop datagram.
	 * @param datagram the datagram, positioned at its bytes; left as it is
	 * @return whether it carries our token
	 */
	boolean isStopDatagram(ByteBuffer datagram) {
		return datagram.remaining() == BYTES
				&& datagram.equals(ByteBuffer.wrap(this.token));
	}

	/** Closes the sending channel; a failure is only logged at debug. */
	void close() {
		try {
			this.stopper.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the stopper of " + this.definition.describe(), ex);
		}
	}

}
