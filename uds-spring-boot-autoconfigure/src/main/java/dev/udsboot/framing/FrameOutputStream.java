package dev.udsboot.framing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A buffered, single-threaded output stream over a socket: a frame's parts (its header or
 * terminator and its payload) are gathered and, if they fit the buffer, written with one system
 * call on {@link #flush()}. Once a write to the socket has failed, the stream refuses every later
 * write: part of a frame may have gone out, and anything sent after it would be read as its rest.
 * <p>
 * Written rather than {@link java.io.BufferedOutputStream} because that class locks on every call
 * (synchronized on Java 17, an internal lock from Java 21): two or three lock round trips per frame
 * on a stream only ever used by one thread at a time, in the time between a reply and the next
 * request where a client's every atomic operation shows.
 */
public final class FrameOutputStream extends OutputStream {

	private final OutputStream target;

	private final byte[] buffer;

	private int count;

	private @Nullable IOException failure;

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
		checkNotFailed();
		if (this.count == this.buffer.length) {
			drain();
		}
		this.buffer[this.count++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		checkNotFailed();
		if (length > this.buffer.length - this.count) {
			drain();
			if (length >= this.buffer.length) {
				// larger than the buffer: written as it is, not copied in pieces
				writeTarget(bytes, offset, length);
				return;
			}
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	@Override
	public void flush() throws IOException {
		checkNotFailed();
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
			this.count = 0;
			writeTarget(this.buffer, 0, pending);
		}
	}

	private void writeTarget(byte[] bytes, int offset, int length) throws IOException {
		try {
			this.target.write(bytes, offset, length);
		}
		catch (IOException ex) {
			this.failure = ex;
			throw ex;
		}
	}

	private void checkNotFailed() throws IOException {
		IOException failed = this.failure;
		if (failed != null) {
			throw new IOException("An earlier write on this connection failed (" + failed.getMessage()
					+ "): part of a frame may have been sent, so nothing more is", failed);
		}
	}

}
