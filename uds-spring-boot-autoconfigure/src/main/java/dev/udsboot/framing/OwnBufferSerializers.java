package dev.udsboot.framing;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.integration.ip.tcp.serializer.ByteArrayCrLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayRawSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArraySingleTerminatorSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayStxEtxSerializer;

/**
 * spring-integration-ip's buffered serializers, read with a working buffer the caller keeps.
 * <p>
 * Why: their {@code deserialize} takes the buffer from a pool on every frame (a semaphore and a
 * blocking queue, even at pool size one), about 3% of the server's CPU per small message in a
 * profile of the echo benchmark. A {@link FrameReader} serves one connection on one thread, so it
 * keeps one buffer and calls each serializer's own frame parsing with it: the formats stay theirs.
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

	static final class Lf extends ByteArrayLfSerializer implements OwnBufferDeserializer {

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

	static final class CrLf extends ByteArrayCrLfSerializer implements OwnBufferDeserializer {

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

	static final class Nul extends ByteArraySingleTerminatorSerializer implements OwnBufferDeserializer {

		Nul() {
			super((byte) 0);
		}

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

	static final class StxEtx extends ByteArrayStxEtxSerializer implements OwnBufferDeserializer {

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

	static final class Raw extends ByteArrayRawSerializer implements OwnBufferDeserializer {

		@Override
		public byte[] read(InputStream input, byte[] buffer) throws IOException {
			return doDeserialize(input, buffer);
		}

	}

}
