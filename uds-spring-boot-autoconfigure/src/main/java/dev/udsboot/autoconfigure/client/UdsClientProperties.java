package dev.udsboot.autoconfigure.client;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

import dev.udsboot.client.UdsTemplateBuilder;
import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.Framing;

/**
 * Defaults for every {@link dev.udsboot.client.UdsTemplate} built from the auto-configured
 * builder; the templates of this application's listeners take framing, size, charset and
 * descriptors from their listener instead. The field initialisers are the defaults of a
 * {@link UdsTemplateBuilder} spelt as literals, which the configuration metadata processor can
 * read; a test holds them equal.
 */
@ConfigurationProperties("uds.client")
public class UdsClientProperties implements InitializingBean {

	/**
	 * Framing of messages on stream sockets.
	 */
	private Framing framing = Framing.LINE;

	/**
	 * Largest reply accepted, inclusive.
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	/**
	 * How long connecting, each send and each reply may take.
	 */
	private Duration timeout = Duration.ofSeconds(10);

	/**
	 * Whether stream connections are kept and reused (pooled) or opened for each message (one-shot).
	 */
	private UdsTemplateBuilder.Mode mode = UdsTemplateBuilder.Mode.POOLED;

	/**
	 * Connections (or datagram exchanges) one template may have in use at once.
	 */
	private int maxConnections = 64;

	/**
	 * Time since its last request was sent after which a pooled connection is checked before use.
	 */
	private Duration validateAfterInactivity = Duration.ofSeconds(2);

	/**
	 * Descriptors a reply may carry; 0 to receive none.
	 */
	private int maxFileDescriptors = 16;

	/**
	 * Charset of String payloads.
	 */
	private Charset charset = StandardCharsets.UTF_8;

	/**
	 * Checks the values at startup, naming the property that is wrong.
	 * @throws InvalidConfigurationPropertyValueException if a value is out of range, which Spring
	 * Boot reports with the property, its value and where it was set
	 */
	@Override
	public void afterPropertiesSet() {
		long size = this.maxMessageSize.toBytes();
		check(size >= 1 && size <= FrameCodec.MAX_LIMIT, "max-message-size",
				"between 1 byte and " + FrameCodec.MAX_LIMIT + " bytes", this.maxMessageSize);
		check(this.timeout.toMillis() >= 1, "timeout", "at least 1ms", this.timeout);
		check(this.maxConnections >= 1, "max-connections", "at least 1", this.maxConnections);
		check(!this.validateAfterInactivity.isNegative(), "validate-after-inactivity", "0 or more",
				this.validateAfterInactivity);
		check(this.maxFileDescriptors >= 0, "max-file-descriptors", "0 or more", this.maxFileDescriptors);
	}

	private static void check(boolean valid, String key, String expected, Object value) {
		if (!valid) {
			throw new InvalidConfigurationPropertyValueException("uds.client." + key, value,
					"uds.client." + key + " must be " + expected);
		}
	}

	public Framing getFraming() {
		return this.framing;
	}

	public void setFraming(Framing framing) {
		this.framing = framing;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public UdsTemplateBuilder.Mode getMode() {
		return this.mode;
	}

	public void setMode(UdsTemplateBuilder.Mode mode) {
		this.mode = mode;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public Duration getValidateAfterInactivity() {
		return this.validateAfterInactivity;
	}

	public void setValidateAfterInactivity(Duration validateAfterInactivity) {
		this.validateAfterInactivity = validateAfterInactivity;
	}

	public int getMaxFileDescriptors() {
		return this.maxFileDescriptors;
	}

	public void setMaxFileDescriptors(int maxFileDescriptors) {
		this.maxFileDescriptors = maxFileDescriptors;
	}

	public Charset getCharset() {
		return this.charset;
	}

	public void setCharset(Charset charset) {
		this.charset = charset;
	}

}
