package dev.udsboot.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a client connection's timeout a deadline for the whole reply rather than a limit on each
 * read: a server that trickles a reply a byte at a time cannot hold the caller longer than the
 * timeout. The socket's read timeout is shortened to the time left only from a reply's second read
 * on, so a reply that arrives in one read costs no extra system call: nearly all, once the
 * connection's read length has grown to its replies' size (see {@link dev.udsboot.framing.FrameInputStream}).
 */
final class ReplyDeadlineInputStream extends FilterInputStream {

	private final Socket socket;

	private final int timeoutMillis;

	private long deadlineNanos;

	private int reads;

	private boolean replying;

	private boolean shortened;

	ReplyDeadlineInputStream(InputStream in, Socket socket, int timeoutMillis) {
		super(in);
		this.socket = socket;
		this.timeoutMillis = timeoutMillis;
	}

	/**
	 * Starts the deadline of one reply: the whole timeout from when its request was sent.
	 * @param sentNanos when the request was sent, from {@link System#nanoTime()}
	 * @throws SocketException if the read timeout cannot be restored
	 */
	void startReply(long sentNanos) throws SocketException {
		this.deadlineNanos = sentNanos + TimeUnit.MILLISECONDS.toNanos(this.timeoutMillis);
		this.reads = 0;
		this.replying = true;
		if (this.shortened) {
			this.socket.setSoTimeout(this.timeoutMillis);
			this.shortened = false;
		}
	}

	/**
	 * Ends the current reply's deadline: reads until the next {@link #startReply} are the caller's,
	 * with the read timeout the caller sets.
	 */
	void endReply() {
		this.replying = false;
	}

	@Override
	public int read() throws IOException {
		beforeRead();
		return super.read();
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		beforeRead();
		return super.read(buffer, offset, length);
	}

	private void beforeRead() throws IOException {
		if (!this.replying || this.reads++ == 0) {
			return;
		}
		long left = TimeUnit.NANOSECONDS.toMillis(this.deadlineNanos - System.nanoTime());
		if (left <= 0) {
			throw new SocketTimeoutException("the reply did not complete within " + this.timeoutMillis + " ms");
		}
		this.socket.setSoTimeout((int) left);
		this.shortened = true;
	}

}
