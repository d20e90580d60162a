package dev.udsboot.framing;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.integration.ip.tcp.serializer.ByteArrayRawSerializer;

/**
 * spring-integration-ip's buffered serializers that {@link FrameCodec} reads with (today the raw
 * one, for {@code eof}), read with a working buffer the caller keeps.
 * <p>
 * Why: their {@code deserialize} takes the buffer from a pool on every frame (a semaphore and a
 * blocking queue, even at pool size one): synchronization paid per message for a buffer that only
 * one thread ever uses, since a {@link FrameReader} serves one connection on one thread. So the
 * reader keeps one buffer and calls each serializer's own frame parsing with it: the formats stay
 * theirs.
 */
final class OwnBufferSerializers {

	private OwnBufferSerializers() {
	}

	/** A deserializer that parses one frame into a working buffer of the caller's. */
	interface OwnBufferDeserializer {

		/**
		 * Reads one frame.
		 * @param input the connection's stream
		 * @param buffer the working buffer, of the serializer's max message size; reused, so the
		 * returned payload is always a copy unless it fills the whole buffer (then over any limit)
		 * @return the payload
		 * @throws IOException as the serializer's {@code deserialize} does
		 */
		byte[] read(InputStream input, byte[] buffer) throws IOException;

	}

	static final class Raw extends ByteArrayRawSerializer implements OwnBufferDeserializer {

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

}
