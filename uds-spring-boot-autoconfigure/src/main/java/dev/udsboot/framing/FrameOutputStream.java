package dev.udsboot.framing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A buffered, single-threaded output stream over a socket: a frame's parts (its payload, its
 * terminator or header) are gathered and written with one system call on {@link #flush()}.
 * <p>
 * Written rather than {@link java.io.BufferedOutputStream} because that class locks on every call
 * (synchronized on Java 17, an internal lock from Java 21): three lock round trips per frame
 * (payload, terminator, flush) on a stream only ever used by one thread at a time, in the time
 * between a reply and the next request where a client's every atomic operation shows.
 */
public final class FrameOutputStream extends OutputStream {

	private final OutputStream target;

	private final byte[] buffer;

	private int count;

	/**
	 * Creates a stream.
	 * @param target the socket's output stream
	 * @param bufferSize the buffer size
	 */
	public FrameOutputStream(OutputStream target, int bufferSize) {
		this.target = target;
		this.buffer = new byte[bufferSize];
	}

	@Override
	public void write(int b) throws IOException {
		if (this.count == this.buffer.length) {
			drain();
		}
		this.buffer[this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (length > this.buffer.length - this.count) {
			drain();
			if (length >= this.buffer.length) {
				// larger than the buffer: written as it is, not copied in pieces
				this.target.write(bytes, offset, length);
				return;
			}
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	@Override
	public void flush() throws IOException {
		drain();
		this.target.flush();
	}

	/**
	 * Flushes what is buffered, then closes the socket's stream.
	 * @throws IOException if either fails
	 */
	@Override
	public void close() throws IOException {
		try {
			drain();
		}
		finally {
			this.target.close();
		}
	}

	private void drain() throws IOException {
		if (this.count > 0) {
			int pending = this.count;
			// emptied first: after a failed write the connection is closed, never written again
			this.count = 0;
			this.target.write(this.buffer, 0, pending);
		}
	}

}
