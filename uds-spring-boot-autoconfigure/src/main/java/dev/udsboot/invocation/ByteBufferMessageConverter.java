package dev.udsboot.invocation;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.util.MimeTypeUtils;

/**
 * Converts between {@code byte[]} payloads and {@link ByteBuffer}: inbound the buffer wraps the
 * received bytes (no copy), outbound its remaining bytes are copied. spring-messaging has no
 * converter for {@code ByteBuffer}, so this one fills the gap.
 */
public class ByteBufferMessageConverter extends AbstractMessageConverter {

	/** Creates a converter for any content type. */
	public ByteBufferMessageConverter() {
		super(MimeTypeUtils.ALL);
	}

	@Override
	protected boolean supports(Class<?> clazz) {
		return ByteBuffer.class.isAssignableFrom(clazz);
	}

	@Override
	protected @Nullable Object convertFromInternal(Message<?> message, Class<?> targetClass,
			@Nullable Object conversionHint) {
		return (message.getPayload() instanceof byte[] bytes) ? ByteBuffer.wrap(bytes) : null;
	}

	@Override
	protected @Nullable Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		ByteBuffer buffer = ((ByteBuffer) payload).duplicate();
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return bytes;
	}

}
