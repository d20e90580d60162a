package dev.udsboot.framing;

import java.io.IOException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.Deserializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayStxEtxSerializer;
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

	/** The serializer's own limit: it rejects a frame once this many bytes are stored. */
	private final int serializerLimit;

	/** The byte that ends a frame (LF for CRLF, with its CR), for the framings that have one. */
	private final byte terminator;

	/** The serializer's working buffer, created at the first frame it reads and kept for the connection. */
	private byte @Nullable [] buffer;

	FrameReader(FrameInputStream input, Deserializer<byte[]> deserializer, FrameCodec codec) {
		this.input = input;
		this.deserializer = deserializer;
		this.codec = codec;
		this.framing = codec.framing();
		this.maxMessageSize = codec.maxMessageSize();
		this.serializerLimit = this.maxMessageSize + FrameCodec.SLACK;
		this.terminator = (byte) codec.terminator();
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
		byte[] payload = bufferedFrame();
		try {
			if (payload == null) {
				payload = deserialize();
			}
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

	/**
	 * Takes the next frame straight from the input's buffer when it lies there whole: one scan for
	 * its end and one copy. Everything else (a frame not yet wholly read, one that breaks the
	 * framing, one over the serializer's limit, and the length-prefix, eof and none framings) is
	 * left to the serializer, whose format this follows and whose errors stay the only ones.
	 * <p>
	 * Why: the serializers read a frame a byte at a time through {@code InputStream.read()}, with
	 * a limit check and a debug-log check per frame. For the 64-byte line of the echo benchmark
	 * that took about 250 ns after the socket read returned, the largest part of a client's time
	 * between a reply and its next request (and of a server's per message).
	 * @return the payload, or {@code null} to read the frame with the serializer
	 */
	private byte @Nullable [] bufferedFrame() {
		FrameInputStream in = this.input;
		int end;
		switch (this.framing) {
			case LINE, NULL -> {
				end = in.indexOfBuffered(this.terminator, 0);
				return (end >= 0 && end < this.serializerLimit) ? in.takeBuffered(0, end, end + 1) : null;
			}
			case CRLF -> {
				// the first LF after a CR; a lone LF belongs to the payload
				end = in.indexOfBuffered(this.terminator, 1);
				while (end > 0 && in.bufferedByte(end - 1) != '\r') {
					end = in.indexOfBuffered(this.terminator, end + 1);
				}
				return (end > 0 && end < this.serializerLimit) ? in.takeBuffered(0, end - 1, end + 1) : null;
			}
			case STX_ETX -> {
				if (in.bufferedByte(0) != ByteArrayStxEtxSerializer.STX) {
					return null;
				}
				end = in.indexOfBuffered(this.terminator, 1);
				return (end > 0 && end - 1 < this.serializerLimit) ? in.takeBuffered(1, end - 1, end + 1) : null;
			}
			default -> {
				return null;
			}
		}
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
