package dev.udsboot.invocation;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.MimeType;

/**
 * Builds the converter chain for payloads and return values: {@code byte[]} as is, {@code String}
 * in the listener's charset (from the {@link UdsHeaders#CHARSET} header), {@link java.nio.ByteBuffer},
 * and anything else as JSON.
 */
public final class UdsMessageConverters {

	/** One MIME type per charset, so resolving it costs no allocation per message. */
	private static final Map<Charset, MimeType> TEXT_PLAIN = new ConcurrentHashMap<>();

	private UdsMessageConverters() {
	}

	/**
	 * Creates the converter chain.
	 * @param jsonMapper the mapper for JSON payloads, usually Spring Boot's; replies are written
	 * without indentation whatever it is set to, because a line break inside a reply would split it
	 * into several messages on most framings
	 * @return the composite converter
	 */
	public static CompositeMessageConverter create(JsonMapper jsonMapper) {
		JsonMapper compact = jsonMapper.rebuild().disable(SerializationFeature.INDENT_OUTPUT).build();
		StringMessageConverter strings = new StringMessageConverter();
		strings.setContentTypeResolver(UdsMessageConverters::listenerCharset);
		return new CompositeMessageConverter(List.of(new ByteArrayMessageConverter(), strings,
				new ByteBufferMessageConverter(), new JacksonJsonMessageConverter(compact)));
	}

	private static @Nullable MimeType listenerCharset(@Nullable MessageHeaders headers) {
		Object charset = (headers != null) ? headers.get(UdsHeaders.CHARSET) : null;
		return (charset instanceof Charset value)
				? TEXT_PLAIN.computeIfAbsent(value, (key) -> new MimeType("text", "plain", key)) : null;
	}

}
