package dev.udsboot.framing;

import java.io.IOException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.Deserializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Reads the frames of one connection, one at a time, and classifies every way a frame can fail:
 * a clean end between frames, a frame over the limit, bytes that break the framing, and a
 * connection closed mid-frame. Not thread-safe: one reader per connection.
 */
public final class FrameReader {

	private final FrameInputStream input;

	private final Deserializer<byte[]> deserializer;

	private final FrameCodec codec;

	private final Framing framing;

	private final int maxMessageSize;

	/** The serializer's working buffer, created at the first frame and kept for the connection. */
	private byte @Nullable [] buffer;

	FrameReader(FrameInputStream input, Deserializer<byte[]> deserializer, FrameCodec codec) {
		this.input = input;
		this.deserializer = deserializer;
		this.codec = codec;
		this.framing = codec.framing();
		this.maxMessageSize = codec.maxMessageSize();
	}

	/**
	 * Reads the next frame, blocking until it is complete.
	 * @return the payload, or {@code null} if the connection ended cleanly between frames
	 * @throws FrameRejectedException if the bytes cannot be a valid frame within the limit
	 * @throws IOException if the socket fails or its read times out
	 */
	public byte @Nullable [] next() throws IOException {
		if (!this.input.awaitData()) {
			return null;
		}
		byte[] payload;
		try {
			payload = deserialize();
		}
		catch (SoftEndOfStreamException ex) {
			return null;
		}
		catch (IOException ex) {
			if (ex == this.input.failure()) {
				throw ex;
			}
			if (this.input.isEndOfStream()) {
				throw new FrameRejectedException(FrameRejectedException.Reason.TRUNCATED,
						"connection closed in the middle of a " + describe() + " frame", ex);
			}
			throw tooLarge(ex);
		}
		catch (RuntimeException ex) {
			if (this.framing == Framing.LENGTH_PREFIX) {
				// the length is unsigned; the serializer reads it signed and rejects 2^31 and more as
				// negative, the only runtime failure it has: that is a frame too large, not malformed
				throw tooLarge(ex);
			}
			throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED,
					"not a valid " + describe() + " frame: " + ex.getMessage(), ex);
		}
		if (this.framing == Framing.LINE && payload.length > 0 && payload[payload.length - 1] == '\r') {
			payload = Arrays.copyOf(payload, payload.length - 1);
		}
		if (payload.length > this.maxMessageSize) {
			throw tooLarge(null);
		}
		return payload;
	}

	private byte[] deserialize() throws IOException {
		if (this.deserializer instanceof OwnBufferSerializers.OwnBufferDeserializer reader) {
			byte[] working = this.buffer;
			if (working == null) {
				working = new byte[this.maxMessageSize + FrameCodec.SLACK];
				this.buffer = working;
			}
			return reader.read(this.input, working);
		}
		return this.deserializer.deserialize(this.input);
	}

	private FrameRejectedException tooLarge(@Nullable Throwable cause) {
		return new FrameRejectedException(FrameRejectedException.Reason.TOO_LARGE,
				describe() + " frame larger than max-message-size " + this.maxMessageSize + " bytes", cause);
	}

	private String describe() {
		return this.codec.describe();
	}

}
