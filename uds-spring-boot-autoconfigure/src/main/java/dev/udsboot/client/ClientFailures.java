package dev.udsboot.client;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.newsclub.net.unix.BrokenPipeSocketException;
import org.newsclub.net.unix.ConnectionResetSocketException;
import org.newsclub.net.unix.SocketClosedException;

import dev.udsboot.framing.FrameRejectedException;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.UdsAddress;

/**
 * Turns what junixsocket and the frame reader throw into the client's exception types, each
 * naming the address and what was being done.
 */
final class ClientFailures {

	private ClientFailures() {
	}

	/**
	 * Classifies a failure to connect (or to send a datagram).
	 * @param target the server's address
	 * @param timeoutMillis the timeout in force
	 * @param ex what junixsocket threw
	 * @return the exception to throw
	 */
	static UdsClientException connectFailed(ListenerAddress target, long timeoutMillis, IOException ex) {
		if (ex instanceof SocketTimeoutException) {
			return new UdsClientTimeoutException(
					"Could not connect to " + target + " within " + timeoutMillis + " ms", ex);
		}
		Path path = (target instanceof UdsAddress uds) ? uds.path() : null;
		if (path != null && Files.notExists(path)) {
			return new UdsSocketNotFoundException(
					"Cannot connect to " + target + ": the socket file does not exist (is the server running?)", ex);
		}
		String message = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT);
		if (ex instanceof java.net.ConnectException || message.contains("refused")) {
			return new UdsConnectionRefusedException("Cannot connect to " + target + ": connection refused ("
					+ ((target instanceof TcpAddress) ? "nothing listens on that port"
							: (path != null) ? "a socket file with no server behind it, or a full backlog"
									: "no server holds this abstract name")
					+ ")", ex);
		}
		return new UdsConnectException("Cannot connect to " + target + ": " + ex.getMessage(), ex);
	}

	/**
	 * Classifies a failure of an exchange on an open connection.
	 * @param target the server's address
	 * @param timeoutMillis the timeout in force
	 * @param replying whether the request had been written and the reply was being read
	 * @param ex what was thrown
	 * @return the exception to throw
	 */
	static UdsClientException exchangeFailed(ListenerAddress target, long timeoutMillis, boolean replying, IOException ex) {
		if (ex instanceof SocketTimeoutException) {
			return new UdsClientTimeoutException((replying ? "No whole reply from " : "Could not send to ") + target
					+ " within " + timeoutMillis + " ms", ex);
		}
		if (ex instanceof FrameRejectedException rejected) {
			return switch (rejected.reason()) {
				case TOO_LARGE -> new UdsReplyTooLargeException("A reply from " + target + " was too large: "
						+ ex.getMessage() + " (uds.client.max-message-size)", ex);
				case TRUNCATED -> new UdsConnectionClosedException(
						target + " closed the connection in the middle of a reply", ex);
				case MALFORMED, TOO_MANY_DESCRIPTORS -> new UdsInvalidReplyException(
						"An invalid reply from " + target + ": " + ex.getMessage(), ex);
			};
		}
		if (isClosedByPeer(ex)) {
			return new UdsConnectionClosedException(target + " closed the connection "
					+ (replying ? "before a whole reply arrived" : "before the request was written") + ": "
					+ ex.getMessage(), ex);
		}
		return new UdsClientException((replying ? "Reading a reply from " : "Sending to ") + target + " failed: "
				+ ex.getMessage(), ex);
	}

	/**
	 * Tells whether a failure means the server closed the connection (a broken pipe on write, a
	 * reset on read), as opposed to a failure of the caller's (a bad descriptor to pass, say).
	 * @param ex the failure
	 * @return {@code true} if the peer closed
	 */
	static boolean isClosedByPeer(IOException ex) {
		return ex instanceof BrokenPipeSocketException || ex instanceof ConnectionResetSocketException
				|| ex instanceof SocketClosedException || ex instanceof java.io.EOFException || isTcpClosedByPeer(ex);
	}

	/** The JDK's TCP socket says so in its message only ("Broken pipe", "Connection reset"). */
	private static boolean isTcpClosedByPeer(IOException ex) {
		String message = ex.getMessage();
		return ex instanceof java.net.SocketException && message != null
				&& (message.contains("Broken pipe") || message.contains("Connection reset"));
	}

	/**
	 * The failure for a connection that ended cleanly where a reply was due.
	 * @param target the server's address
	 * @return the exception to throw
	 */
	static UdsClientException closedWithoutReply(ListenerAddress target) {
		return new UdsConnectionClosedException(target + " closed the connection without replying", null);
	}

}
