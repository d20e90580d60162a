package dev.udsboot.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.springframework.integration.ip.tcp.serializer.AbstractPooledBufferByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * The {@link Framing#NONE} format: whatever one read returns is one message, and a reply is
 * written as is. spring-integration-ip has no serializer for this (its raw serializer reads to the
 * end of the stream), so this one adds it on the same base class as the others.
 */
final class ChunkDeserializer extends AbstractPooledBufferByteArraySerializer
		implements OwnBufferSerializers.OwnBufferDeserializer {

	@Override
	protected byte[] doDeserialize(InputStream inputStream, byte[] buffer) throws IOException {
		int count = inputStream.read(buffer, 0, buffer.length);
		if (count < 0) {
			throw new SoftEndOfStreamException("Stream closed between payloads");
		}
		return copyToSizedArray(buffer, count);
	}

	@Override
	public byte[] read(InputStream input, byte[] buffer) throws IOException {
		return doDeserialize(input, buffer);
	}

	@Override
	public void serialize(byte[] bytes, OutputStream outputStream) throws IOException {
		outputStream.write(bytes);
	}

}
