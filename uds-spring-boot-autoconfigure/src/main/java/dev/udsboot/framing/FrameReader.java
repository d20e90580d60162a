package dev.udsboot.framing;

import java.io.IOException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.Deserializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Reads the frames of one connection, one at a time, and classifies every way a frame can fail:
 * a clean end between frames, a frame over the limit, bytes that break the framing, and a
 * connection closed mid-frame. Each framing has one parser: {@link TerminatedFrames} for the
 * framings with a terminator, spring-integration-ip's serializer for {@code length-prefix} and
 * {@code eof}, {@link ChunkDeserializer} for {@code none}. Not thread-safe: one reader per
 * connection.
 */
public final class FrameReader {

	private final FrameInputStream input;

	private final @Nullable TerminatedFrames terminated;

	private final @Nullable Deserializer<byte[]> deserializer;

	private final FrameCodec codec;

	private final Framing framing;

	private final int maxMessageSize;

	/** The serializer's working buffer, created at the first frame it reads and kept for the connection. */
	private byte @Nullable [] buffer;

	FrameReader(FrameInputStream input, @Nullable TerminatedFrames terminated,
			@Nullable Deserializer<byte[]> deserializer, FrameCodec codec) {
		this.input = input;
		this.terminated = terminated;
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
		TerminatedFrames frames = this.terminated;
		byte[] payload = (frames != null) ? frames.read(this.input) : deserialize();
		if (payload == null) {
			return null;
		}
		if (this.framing == Framing.LINE && payload.length > 0 && payload[payload.length - 1] == '\r') {
			payload = Arrays.copyOf(payload, payload.length - 1);
		}
		if (payload.length > this.maxMessageSize) {
			throw tooLarge(describe(), this.maxMessageSize, null);
		}
		return payload;
	}

	/** Reads a frame with the serializer, classifying its failures. */
	private byte @Nullable [] deserialize() throws IOException {
		try {
			Deserializer<byte[]> reader = this.deserializer;
			if (reader instanceof OwnBufferSerializers.OwnBufferDeserializer own) {
				byte[] working = this.buffer;
				if (working == null) {
					working = new byte[this.maxMessageSize + FrameCodec.SLACK];
					this.buffer = working;
				}
				return own.read(this.input, working);
			}
			if (reader == null) {
				throw new IllegalStateException("no parser for " + describe() + " framing");
			}
			return reader.deserialize(this.input);
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
			throw tooLarge(describe(), this.maxMessageSize, ex);
		}
		catch (RuntimeException ex) {
			if (this.framing == Framing.LENGTH_PREFIX) {
				// the length is unsigned; the serializer reads it signed and rejects 2^31 and more as
				// negative, the only runtime failure it has: that is a frame too large, not malformed
				throw tooLarge(describe(), this.maxMessageSize, ex);
			}
			throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED,
					"not a valid " + describe() + " frame: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The rejection of a frame over the limit, worded the same for every framing.
	 * @param framing the framing's configured name
	 * @param maxMessageSize the limit
	 * @param cause what detected it, if anything
	 * @return the exception
	 */
	static FrameRejectedException tooLarge(String framing, int maxMessageSize, @Nullable Throwable cause) {
		return new FrameRejectedException(FrameRejectedException.Reason.TOO_LARGE,
				framing + " frame larger than max-message-size " + maxMessageSize + " bytes", cause);
	}

	private String describe() {
		return this.codec.describe();
	}

}
