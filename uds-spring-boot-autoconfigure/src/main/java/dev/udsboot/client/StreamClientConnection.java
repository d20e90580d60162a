package dev.udsboot.client;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.FrameInputStream;
import dev.udsboot.framing.FrameReader;
import dev.udsboot.framing.OutboundDescriptors;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.ReceivedDescriptors;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.UdsAddress;

/**
 * One client connection to a stream socket: writes framed requests (with descriptors) and reads
 * framed replies (with theirs), with the same codec, buffers and descriptor accounting as a
 * listener's connections. Used by one thread at a time.
 */
final class StreamClientConnection implements Closeable {

	private final Socket socket;

	/** The TCP connection (under TLS, if any), or {@code null} for a Unix domain socket. */
	private final @Nullable SocketChannel tcp;

	private final FrameCodec codec;

	private final int timeoutMillis;

	private final ReplyDeadlineInputStream deadline;

	private final FrameInputStream input;

	private final FrameReader reader;

	private final OutputStream output;

	private final @Nullable ReceivedDescriptors descriptors;

	/**
	 * When the last request was sent (or the connection made): when its reply's deadline starts,
	 * and what its idle time counts from. Read from the clock after the request is sent, when the
	 * server has the turn, rather than when the reply has been read: the time between a reply and
	 * the next request, which the server waits through, is kept to one clock read (the idle check).
	 */
	private long sentNanos = System.nanoTime();

	private boolean oneWay;

	private boolean served;

	private StreamClientConnection(Socket socket, @Nullable SocketChannel tcp, FrameCodec codec,
			int maxFileDescriptors, int timeoutMillis) throws IOException {
		this.socket = socket;
		this.tcp = tcp;
		this.codec = codec;
		this.timeoutMillis = timeoutMillis;
		this.deadline = new ReplyDeadlineInputStream(socket.getInputStream(), socket, timeoutMillis);
		this.input = codec.newInputStream(this.deadline);
		this.descriptors = (maxFileDescriptors > 0 && socket instanceof AFUNIXSocket unix)
				? new ReceivedDescriptors(unix, maxFileDescriptors) : null;
		ReceivedDescriptors tracker = this.descriptors;
		if (tracker != null) {
			this.input.setReadObserver(tracker::afterRead);
		}
		this.reader = codec.newReader(this.input);
		this.output = codec.newOutputStream(socket.getOutputStream());
	}

	/**
	 * Connects.
	 * @param target the server's address: a Unix domain socket, or a TCP host and port
	 * @param tls the client side of TLS over TCP, or {@code null}
	 * @param codec the framing
	 * @param maxFileDescriptors how many descriptors a reply may carry; 0 to receive none
	 * @param timeoutMillis the connect timeout (the TLS handshake's too), then each whole reply's
	 * @return the connection
	 * @throws IOException if connecting fails
	 */
	static StreamClientConnection open(ListenerAddress target, @Nullable ClientTls tls, FrameCodec codec,
			int maxFileDescriptors, int timeoutMillis) throws IOException {
		// TCP through a channel: its non-blocking read is how an idle connection is checked
		SocketChannel channel = (target instanceof UdsAddress) ? null : SocketChannel.open();
		Socket socket = (channel == null) ? AFUNIXSocket.newInstance() : channel.socket();
		try {
			if (target instanceof UdsAddress uds) {
				socket.connect(uds.toSocketAddress(), timeoutMillis);
			}
			else {
				TcpAddress tcp = (TcpAddress) target;
				// a request is written whole at once; Nagle's algorithm would only hold it back
				socket.setTcpNoDelay(true);
				socket.connect(tcp.toSocketAddress(), timeoutMillis);
				if (tls != null) {
					socket.setSoTimeout(timeoutMillis);
					socket = tls.secure(socket, tcp);
				}
			}
			socket.setSoTimeout(timeoutMillis);
			return new StreamClientConnection(socket, channel, codec, maxFileDescriptors, timeoutMillis);
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
		this.codec.send(payload, outbound, outboundDescriptors(), this.output);
		this.sentNanos = System.nanoTime();
	}

	private OutboundDescriptors outboundDescriptors() {
		if (this.socket instanceof AFUNIXSocket unix) {
			return unix::setOutboundFileDescriptors;
		}
		return (descriptors) -> {
			if (descriptors != null && descriptors.length > 0) {
				// refused before (StreamTransport): a last guard
				throw new IllegalArgumentException("A TCP connection carries no file descriptors");
			}
		};
	}

	/**
	 * Ends the request by shutting down the sending side: how an {@code eof}-framed message ends.
	 * The connection cannot send again.
	 * @throws IOException if the socket fails (a TLS socket cannot shut down its sending side)
	 */
	void endRequest() throws IOException {
		if (this.socket instanceof AFUNIXSocket unix) {
			// through the channel, as the listeners shut down input: on JDK 25,
			// java.net.Socket#shutdownOutput refuses junixsocket's sockets ("Socket is not connected")
			unix.getChannel().shutdownOutput();
		}
		else {
			this.socket.shutdownOutput();
		}
	}

	/**
	 * Reads one reply.
	 * @return the reply, whose descriptors the caller owns; {@code null} if the server closed the
	 * connection before sending any of it
	 * @throws IOException if reading fails, times out, or the bytes are not a valid reply
	 */
	@Nullable Reply read() throws IOException {
		this.deadline.startReply(this.sentNanos);
		byte[] payload = this.reader.next();
		if (payload == null) {
			return null;
		}
		ReceivedDescriptors tracker = this.descriptors;
		List<FileDescriptor> received = (tracker != null) ? tracker.takeConsumed(this.input.consumed()) : List.of();
		return new Reply(payload, received);
	}

	/**
	 * Tells whether the connection can serve another request: nothing is left unread in its buffer.
	 * @return {@code true} if it may go back to the pool
	 */
	boolean isClean() {
		return this.input.available() == 0 && !this.input.isEndOfStream();
	}

	/**
	 * Tells, without blocking, whether the server has sent anything since the last reply was read
	 * (an answer to a one-way send, say): then the connection must not serve a request.
	 * @return {@code true} if nothing is waiting, in the buffer or in the kernel
	 */
	boolean hasNothingUnread() {
		try {
			return isClean() && this.socket.getInputStream().available() == 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Tells, without waiting, whether a TCP server has closed the idle connection (or written to
	 * it unasked): a write to a TCP connection the server closed succeeds, unlike on a Unix domain
	 * socket, so the request would be lost to the end of the stream that follows. It reads the
	 * kernel's buffer without blocking: nothing there means open.
	 * @return {@code true} if the connection is a Unix domain socket's, or nothing is waiting on it
	 */
	boolean isOpenOnTheServersSide() {
		SocketChannel channel = this.tcp;
		if (channel == null) {
			return true;
		}
		try {
			synchronized (channel.blockingLock()) {
				channel.configureBlocking(false);
				try {
					return channel.read(ByteBuffer.allocate(1)) == 0;
				}
				finally {
					channel.configureBlocking(true);
				}
			}
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Checks, waiting a millisecond at most, that the server has not closed the connection and
	 * sent nothing unasked since it was last used.
	 * @return {@code true} if it can serve a request
	 */
	boolean isAlive() {
		if (!hasNothingUnread()) {
			return false;
		}
		try {
			byte[] early;
			try {
				// a look at an idle connection, not part of the last reply and its deadline
				this.deadline.endReply();
				this.socket.setSoTimeout(1);
				early = this.input.peek();
			}
			finally {
				this.socket.setSoTimeout(this.timeoutMillis);
			}
			return early.length == 0 && !this.input.isEndOfStream();
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Marks the connection used, for one-way sends or a request/reply exchange. */
	void used(boolean oneWaySend) {
		this.oneWay = oneWaySend;
		this.served = true;
	}

	/**
	 * Tells whether the connection comes from the pool, having served an exchange before.
	 * @return {@code true} if reused
	 */
	boolean isReused() {
		return this.served;
	}

	/**
	 * Tells how long the connection has been idle.
	 * @param nowNanos the time now, from {@link System#nanoTime()}
	 * @return nanoseconds since its last request was sent
	 */
	long idleNanos(long nowNanos) {
		return nowNanos - this.sentNanos;
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
