package dev.udsboot.framing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A buffered, single-threaded input stream over a socket that remembers how its source ended (end
 * of stream or an exception), so a failed frame can be classified without parsing exception
 * messages. Frames are taken from its buffer whole where they lie there ({@link TerminatedFrames}),
 * and the serializers that read byte by byte are served from it one system call at a time.
 * <p>
 * Written rather than {@link java.io.BufferedInputStream} because that class is synchronized on
 * every byte and cannot say whether the source reached its end.
 * <p>
 * Reads ask for what recent reads brought rather than the whole buffer, when the stream is
 * adaptive: junixsocket's stream read allocates a native buffer of the length asked for and
 * copies that whole length back into the Java array, whatever arrived, so a read sized for the
 * largest message makes every small one pay for the buffer's whole length, between a reply and a
 * client's next request.
 * As Netty's adaptive receive buffers do, the length asked for doubles after a read that filled it
 * and halves after two reads in a row that used less than a quarter of it, between
 * {@value #MIN_READ} bytes (or the buffer's size, if smaller) and the buffer's size; a caller
 * asking for more than that gets a read of what it asked for.
 */
public final class FrameInputStream extends InputStream {

	/** The smallest read an adaptive stream asks for. */
	static final int MIN_READ = 256;

	private final InputStream source;

	private final byte[] buffer;

	private final boolean adaptive;

	/** How many bytes the next fill asks for. */
	private int readLength;

	/** How many reads in a row used less than a quarter of what they asked for. */
	private int smallReads;

	private int position;

	private int limit;

	private boolean endOfStream;

	private @Nullable IOException failure;

	private long bytesRead;

	private @Nullable ReadObserver observer;

	/**
	 * Creates a stream.
	 * @param source the socket's input stream
	 * @param bufferSize the buffer size
	 * @param adaptive whether reads ask for what recent reads brought rather than the whole buffer;
	 * not for a framing where one read is one message
	 */
	public FrameInputStream(InputStream source, int bufferSize, boolean adaptive) {
		this.source = source;
		this.buffer = new byte[bufferSize];
		this.adaptive = adaptive;
		this.readLength = adaptive ? Math.min(MIN_READ, bufferSize) : bufferSize;
	}

	@Override
	public int read() throws IOException {
		if (this.position == this.limit && !fill(this.readLength)) {
			return -1;
		}
		return this.buffer[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		int buffered = this.limit - this.position;
		if (buffered > 0) {
			int count = Math.min(buffered, length);
			System.arraycopy(this.buffer, this.position, target, offset, count);
			this.position += count;
			return count;
		}
		if (length >= this.buffer.length) {
			return readSource(target, offset, length);
		}
		if (!fill(Math.max(this.readLength, length))) {
			return -1;
		}
		return read(target, offset, length);
	}

	@Override
	public int available() {
		return this.limit - this.position;
	}

	/**
	 * Finds a byte among those buffered, without reading from the source.
	 * @param value the byte to find
	 * @param from where to start, counted from the read position
	 * @return its index counted from the read position, or -1 if it is not buffered
	 */
	int indexOfBuffered(byte value, int from) {
		for (int i = this.position + from; i < this.limit; i++) {
			if (this.buffer[i] == value) {
				return i - this.position;
			}
		}
		return -1;
	}

	/**
	 * Returns a buffered byte without consuming it.
	 * @param index counted from the read position
	 * @return the byte, unsigned, or -1 if that many bytes are not buffered
	 */
	int bufferedByte(int index) {
		return (index < this.limit - this.position) ? this.buffer[this.position + index] & 0xff : -1;
	}

	/**
	 * Consumes buffered bytes, returning a copy of some of them: one frame read in one step.
	 * @param offset where the copy starts, counted from the read position
	 * @param length how many bytes are copied
	 * @param consumed how many bytes are consumed in all; no more than are buffered
	 * @return the copy
	 */
	byte[] takeBuffered(int offset, int length, int consumed) {
		byte[] copy = Arrays.copyOfRange(this.buffer, this.position + offset, this.position + offset + length);
		this.position += consumed;
		return copy;
	}

	/**
	 * Consumes buffered bytes without copying them.
	 * @param count how many; no more than are buffered
	 */
	void skipBuffered(int count) {
		this.position += count;
	}

	/**
	 * Blocks until at least one byte is buffered or the stream ends.
	 * @return {@code true} if a byte is available, {@code false} at the end of the stream
	 * @throws IOException if the source fails or times out
	 */
	public boolean awaitData() throws IOException {
		return this.position < this.limit || fill(this.readLength);
	}

	/**
	 * Returns the bytes buffered now, reading once from the source if none are, without consuming
	 * them: a look at a connection's first bytes that leaves them to be read as usual (and their
	 * descriptors to be observed as usual). A timeout of that read is not the stream's failure.
	 * @return the buffered bytes; empty after a timeout or at the end of the stream
	 * @throws IOException if the source fails
	 */
	public byte[] peek() throws IOException {
		if (this.position == this.limit) {
			try {
				if (!fill(this.readLength)) {
					return new byte[0];
				}
			}
			catch (java.net.SocketTimeoutException ex) {
				// nothing arrived in time, which says nothing about the stream
				this.failure = null;
				return new byte[0];
			}
		}
		return Arrays.copyOfRange(this.buffer, this.position, this.limit);
	}

	/**
	 * Sets what is told after every read from the source (e.g. to collect ancillary data).
	 * @param observer the observer
	 */
	public void setReadObserver(ReadObserver observer) {
		this.observer = observer;
	}

	/**
	 * Returns how many bytes have been handed out: the position just after the last frame read.
	 * @return bytes consumed
	 */
	public long consumed() {
		return this.bytesRead - (this.limit - this.position);
	}

	/**
	 * Tells whether the source has reported its end.
	 * @return {@code true} once a read returned end of stream
	 */
	public boolean isEndOfStream() {
		return this.endOfStream;
	}

	/**
	 * Returns the exception the source threw, if any.
	 * @return the source's failure, or {@code null}
	 */
	public @Nullable IOException failure() {
		return this.failure;
	}

	private boolean fill(int length) throws IOException {
		int count = readSource(this.buffer, 0, length);
		if (count < 0) {
			return false;
		}
		if (this.adaptive) {
			adapt(count, length);
		}
		this.position = 0;
		this.limit = count;
		return true;
	}

	private void adapt(int count, int asked) {
		if (count == asked) {
			this.smallReads = 0;
			this.readLength = Math.min(this.buffer.length, Math.max(this.readLength, asked) * 2);
		}
		else if (count < this.readLength / 4 && ++this.smallReads == 2) {
			this.smallReads = 0;
			this.readLength = Math.max(Math.min(MIN_READ, this.buffer.length), this.readLength / 2);
		}
		else if (count >= this.readLength / 4) {
			this.smallReads = 0;
		}
	}

	private int readSource(byte[] target, int offset, int length) throws IOException {
		if (this.endOfStream) {
			return -1;
		}
		int count;
		try {
			count = this.source.read(target, offset, length);
			if (count > 0) {
				this.bytesRead += count;
				if (this.observer != null) {
					this.observer.afterRead(this.bytesRead);
				}
			}
		}
		catch (IOException ex) {
			// recorded so that the reader passes it on as it is, not as a bad frame
			this.failure = ex;
			throw ex;
		}
		if (count < 0) {
			this.endOfStream = true;
		}
		return count;
	}

	/**
	 * Told after every read from the source that returned data.
	 */
	@FunctionalInterface
	public interface ReadObserver {

		/**
		 * Called after a read.
		 * @param bytesReadSoFar the total bytes read from the source, this read included
		 * @throws IOException to fail the read
		 */
		void afterRead(long bytesReadSoFar) throws IOException;

	}

}
