package dev.udsboot.invocation;

import java.nio.charset.Charset;
import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.GenericMessage;

/**
 * Turns payloads into the bytes of a message and back, the same way on both ends: {@code byte[]}
 * as is, {@code String} in a charset, anything else through the message converter chain (JSON by
 * default, see {@link UdsMessageConverters}). Handler replies are encoded with it, and so are a
 * {@code UdsTemplate}'s requests and replies. Thread-safe.
 */
public final class PayloadCodec {

	private final Charset charset;

	private final MessageConverter converter;

	private final MessageHeaders headers;

	/**
	 * Creates a codec.
	 * @param charset the charset of {@code String} payloads
	 * @param converter the converter for other types
	 */
	public PayloadCodec(Charset charset, MessageConverter converter) {
		this.charset = charset;
		this.converter = converter;
		this.headers = new MessageHeaders(Map.of(UdsHeaders.CHARSET, charset));
	}

	/**
	 * Encodes a payload with the codec's own headers (its charset).
	 * @param payload the payload, or a {@link Message} whose payload is taken
	 * @param what what the payload is, for the error message (e.g. "a reply for listener 'x'")
	 * @return the bytes
	 * @throws MessageConversionException if no converter produces bytes for it
	 */
	public byte[] encode(Object payload, String what) {
		return encode(payload, this.headers, what);
	}

	/**
	 * Encodes a payload; the headers are those of the message being answered, for converters that
	 * read them.
	 * @param payload the payload, or a {@link Message} whose payload is taken
	 * @param headers the headers the converter sees
	 * @param what what the payload is, for the error message
	 * @return the bytes
	 * @throws MessageConversionException if no converter produces bytes for it
	 */
	public byte[] encode(Object payload, MessageHeaders headers, String what) {
		Object value = (payload instanceof Message<?> message) ? message.getPayload() : payload;
		// the two commonest payloads are encoded here: the converter chain would build a Message and
		// copy its headers for each, only to return the bytes or the string's encoding
		if (value instanceof byte[] bytes) {
			return bytes;
		}
		if (value instanceof String text) {
			return text.getBytes(this.charset);
		}
		Message<?> converted = this.converter.toMessage(value, headers);
		if (converted == null || !(converted.getPayload() instanceof byte[] bytes)) {
			throw new MessageConversionException(
					"Cannot convert " + what + " of type " + value.getClass().getName() + " to bytes");
		}
		return bytes;
	}

	/**
	 * Decodes the bytes of a message into the type asked for.
	 * @param <T> the type
	 * @param bytes the bytes
	 * @param type {@code byte[]} (or {@code Object}: the bytes as they are), {@code String}, or a
	 * type the converter chain reads
	 * @param what what the bytes are, for the error message
	 * @return the value
	 * @throws MessageConversionException if the bytes cannot be read as that type
	 */
	@SuppressWarnings("unchecked")
	public <T> T decode(byte[] bytes, Class<T> type, String what) {
		if (type == byte[].class || type == Object.class) {
			return (T) bytes;
		}
		if (type == String.class) {
			return (T) new String(bytes, this.charset);
		}
		Object value = this.converter.fromMessage(new GenericMessage<>(bytes, this.headers), type);
		if (value == null) {
			throw new MessageConversionException("Cannot convert " + what + " of " + bytes.length + " bytes to "
					+ type.getName());
		}
		return (T) value;
	}

}
