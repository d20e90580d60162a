package dev.udsboot.client;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.FrameInputStream;
import dev.udsboot.framing.FrameReader;
import dev.udsboot.socket.ReceivedDescriptors;
import dev.udsboot.socket.UdsAddress;

/**
 * One client connection to a stream socket: writes framed requests (with descriptors) and reads
 * framed replies (with theirs), with the same codec, buffers and descriptor accounting as a
 * listener's connections. Used by one thread at a time.
 */
final class StreamClientConnection implements Closeable {

	private final AFUNIXSocket socket;

	private final FrameCodec codec;

	private final FrameInputStream input;

	private final FrameReader reader;

	private final OutputStream output;

	private final @Nullable ReceivedDescriptors descriptors;

	private long lastUsedNanos = System.nanoTime();

	private boolean oneWay;

	private StreamClientConnection(AFUNIXSocket socket, FrameCodec codec, int maxFileDescriptors) throws IOException {
		this.socket = socket;
		this.codec = codec;
		this.input = codec.newInputStream(socket.getInputStream());
		this.descriptors = (maxFileDescriptors > 0) ? new ReceivedDescriptors(socket, maxFileDescriptors) : null;
		ReceivedDescriptors tracker = this.descriptors;
		if (tracker != null) {
			this.input.setReadObserver(tracker::afterRead);
		}
		this.reader = codec.newReader(this.input);
		this.output = new BufferedOutputStream(socket.getOutputStream(), 8192);
	}

	/**
	 * Connects.
	 * @param target the server's address
	 * @param codec the framing
	 * @param maxFileDescriptors how many descriptors a reply may carry; 0 to receive none
	 * @param timeoutMillis the connect timeout, then every read's
	 * @return the connection
	 * @throws IOException if connecting fails
	 */
	static StreamClientConnection open(UdsAddress target, FrameCodec codec, int maxFileDescriptors, int timeoutMillis)
			throws IOException {
		AFUNIXSocket socket = AFUNIXSocket.newInstance();
		try {
			socket.connect(target.toSocketAddress(), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			return new StreamClientConnection(socket, codec, maxFileDescriptors);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Writes one request, checked against the framing first.
	 * @param payload the request
	 * @param outbound descriptors to pass with it (the caller keeps them)
	 * @throws IOException if writing fails
	 */
	void write(byte[] payload, List<FileDescriptor> outbound) throws IOException {
		this.codec.send(payload, outbound, this.socket, this.output);
	}

	/**
	 * Reads one reply.
	 * @return the reply, whose descriptors the caller owns; {@code null} if the server closed the
	 * connection before sending any of it
	 * @throws IOException if reading fails, times out, or the bytes are not a valid reply
	 */
	@Nullable Reply read() throws IOException {
		byte[] payload = this.reader.next();
		if (payload == null) {
			return null;
		}
		ReceivedDescriptors tracker = this.descriptors;
		List<FileDescriptor> received = (tracker != null) ? tracker.takeConsumed(this.input.consumed()) : List.of();
		return new Reply(payload, received);
	}

	/**
	 * Tells whether the connection can serve another request: nothing is left unread.
	 * @return {@code true} if it may go back to the pool
	 */
	boolean isClean() {
		return this.input.available() == 0 && !this.input.isEndOfStream();
	}

	/**
	 * Checks, without waiting more than a millisecond, that the server has not closed the
	 * connection and sent nothing unasked since it was last used.
	 * @return {@code true} if it can serve a request
	 */
	boolean isAlive() {
		if (!isClean()) {
			return false;
		}
		try {
			int timeout = this.socket.getSoTimeout();
			byte[] early;
			try {
				this.socket.setSoTimeout(1);
				early = this.input.peek();
			}
			finally {
				this.socket.setSoTimeout(timeout);
			}
			return early.length == 0 && !this.input.isEndOfStream();
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Marks the connection used now, for one-way sends or a request/reply exchange. */
	void used(boolean oneWaySend) {
		this.lastUsedNanos = System.nanoTime();
		this.oneWay = oneWaySend;
	}

	long idleNanos() {
		return System.nanoTime() - this.lastUsedNanos;
	}

	boolean isOneWay() {
		return this.oneWay;
	}

	@Override
	public void close() {
		ReceivedDescriptors tracker = this.descriptors;
		if (tracker != null) {
			tracker.closeRemaining();
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing releases the descriptor whatever it reports
		}
	}

	/**
	 * A reply as it came off the wire.
	 * @param payload its bytes
	 * @param descriptors the descriptors that came with it, owned by the receiver
	 */
	record Reply(byte[] payload, List<FileDescriptor> descriptors) {
	}

}
