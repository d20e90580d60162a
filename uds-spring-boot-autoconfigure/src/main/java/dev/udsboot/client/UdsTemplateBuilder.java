package dev.udsboot.client;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.util.Assert;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.Framing;
import dev.udsboot.invocation.PayloadCodec;
import dev.udsboot.invocation.UdsMessageConverters;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.observation.UdsTemplateObservationConvention;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.UdsAddress;

/**
 * Builds a {@link UdsTemplate}. The auto-configured builder (a new one per injection point)
 * starts from the {@code uds.client.*} properties and the application's JSON mapper; one made with
 * {@link UdsTemplate#builder(ListenerAddress)} starts from the defaults below. Not thread-safe.
 */
public class UdsTemplateBuilder {

	/** How a template uses stream connections. */
	public enum Mode {

		/** Connections are kept open and reused, one exchange at a time each. */
		POOLED,

		/** A connection is opened for each message and closed after it. */
		ONE_SHOT

	}

	private @Nullable ListenerAddress target;

	private @Nullable ClientTls tls;

	private @Nullable ObservationRegistry observationRegistry;

	private @Nullable UdsTemplateObservationConvention observationConvention;

	private UdsListenerType type = UdsListenerType.STREAM;

	private Framing framing = Framing.LINE;

	private int maxMessageSize = 64 * 1024;

	private Duration timeout = Duration.ofSeconds(10);

	private Mode mode = Mode.POOLED;

	private int maxConnections = 64;

	private Duration validateAfterInactivity = Duration.ofSeconds(2);

	private int maxFileDescriptors = 16;

	private Charset charset = StandardCharsets.UTF_8;

	private @Nullable MessageConverter messageConverter;

	private @Nullable UdsAddress replyAddress;

	/**
	 * Sets the server's address.
	 * @param target a path or an abstract name, or a TCP host and port (a stream template then
	 * talks TCP)
	 * @return this builder
	 */
	public UdsTemplateBuilder target(ListenerAddress target) {
		this.target = target;
		return this;
	}

	/**
	 * Talks TLS to a TCP target, whose certificate must be trusted and name the target's host (as
	 * an HTTPS client checks it: a DNS name or IP address in its subject alternative names).
	 * @param context the client's TLS context, e.g. a Spring Boot SSL bundle's
	 * {@code createSslContext()} (its trust store trusts the server; its key store, if any, holds
	 * the client's certificate)
	 * @return this builder
	 */
	public UdsTemplateBuilder ssl(SSLContext context) {
		return ssl(context, true);
	}

	/**
	 * Talks TLS to a TCP target.
	 * @param context the client's TLS context
	 * @param verifyHostname whether the server's certificate must name the target's host; turn it
	 * off only where the context's trust store holds exactly the server's own certificate, never
	 * an authority's
	 * @return this builder
	 */
	public UdsTemplateBuilder ssl(SSLContext context, boolean verifyHostname) {
		this.tls = new ClientTls(context, verifyHostname);
		return this;
	}

	/**
	 * Sets the server's socket file.
	 * @param path the path
	 * @return this builder
	 */
	public UdsTemplateBuilder target(Path path) {
		return target(UdsAddress.ofPath(path));
	}

	/**
	 * Sets whether the server's socket is a stream (the default) or a datagram socket.
	 * @param type the socket type
	 * @return this builder
	 */
	public UdsTemplateBuilder type(UdsListenerType type) {
		this.type = type;
		return this;
	}

	/**
	 * Sets the framing of messages on a stream socket ({@code line} by default).
	 * @param framing the framing
	 * @return this builder
	 */
	public UdsTemplateBuilder framing(Framing framing) {
		this.framing = framing;
		return this;
	}

	/**
	 * Sets the largest reply accepted, inclusive (64 KB by default).
	 * @param maxMessageSize bytes
	 * @return this builder
	 */
	public UdsTemplateBuilder maxMessageSize(int maxMessageSize) {
		Assert.isTrue(maxMessageSize >= 1 && maxMessageSize <= FrameCodec.MAX_LIMIT,
				() -> "max message size out of range: " + maxMessageSize);
		this.maxMessageSize = maxMessageSize;
		return this;
	}

	/**
	 * Sets how long connecting, each send and each reply may take (10 s by default).
	 * @param timeout the timeout, positive
	 * @return this builder
	 */
	public UdsTemplateBuilder timeout(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), () -> "timeout must be positive: " + timeout);
		this.timeout = timeout;
		return this;
	}

	/**
	 * Sets whether stream connections are pooled (the default) or opened for each message. With
	 * {@code eof} and {@code none} framing they are always opened for each message.
	 * @param mode the mode
	 * @return this builder
	 */
	public UdsTemplateBuilder mode(Mode mode) {
		this.mode = mode;
		return this;
	}

	/**
	 * Sets how many connections (or datagram exchanges) may be in use at once (64 by default); a
	 * request beyond waits for one, up to the timeout.
	 * @param maxConnections at least 1
	 * @return this builder
	 */
	public UdsTemplateBuilder maxConnections(int maxConnections) {
		Assert.isTrue(maxConnections >= 1, () -> "max connections must be at least 1: " + maxConnections);
		this.maxConnections = maxConnections;
		return this;
	}

	/**
	 * Sets how long after its last request was sent a pooled connection is checked (1 ms at most)
	 * before reuse, for having been closed by the server; 2 s by default.
	 * @param validateAfterInactivity the idle time
	 * @return this builder
	 */
	public UdsTemplateBuilder validateAfterInactivity(Duration validateAfterInactivity) {
		this.validateAfterInactivity = validateAfterInactivity;
		return this;
	}

	/**
	 * Sets how many descriptors a reply may carry (16 by default; 0 to receive none).
	 * @param maxFileDescriptors at least 0
	 * @return this builder
	 */
	public UdsTemplateBuilder maxFileDescriptors(int maxFileDescriptors) {
		Assert.isTrue(maxFileDescriptors >= 0, () -> "max file descriptors must be 0 or more: " + maxFileDescriptors);
		this.maxFileDescriptors = maxFileDescriptors;
		return this;
	}

	/**
	 * Sets the charset of {@code String} payloads (UTF-8 by default).
	 * @param charset the charset
	 * @return this builder
	 */
	public UdsTemplateBuilder charset(Charset charset) {
		this.charset = charset;
		return this;
	}

	/**
	 * Sets the converter for payloads other than {@code byte[]} and {@code String}; by default
	 * the listeners' chain with a plain JSON mapper.
	 * @param messageConverter the converter
	 * @return this builder
	 */
	public UdsTemplateBuilder messageConverter(MessageConverter messageConverter) {
		this.messageConverter = messageConverter;
		return this;
	}

	/**
	 * Sets the address a datagram template receives replies on; by default each exchange binds a
	 * fresh random abstract name. With a fixed address, exchanges take turns.
	 * @param replyAddress a path or an abstract name
	 * @return this builder
	 */
	public UdsTemplateBuilder replyAddress(UdsAddress replyAddress) {
		this.replyAddress = replyAddress;
		return this;
	}

	/**
	 * Builds the template.
	 * @return the template, to be closed when no longer needed
	 * @throws IllegalStateException if no target was set
	 */
	public UdsTemplate build() {
		ListenerAddress address = this.target;
		Assert.state(address != null, "A UdsTemplate needs a target: a socket path, an abstract name or a TCP address");
		boolean tcp = address instanceof TcpAddress;
		Assert.state(!tcp || this.type != UdsListenerType.DATAGRAM,
				"A datagram template needs a Unix domain socket target, not " + address);
		Assert.state(tcp || this.type != UdsListenerType.TCP, "A TCP template needs a TCP target, not " + address);
		Assert.state(this.tls == null || tcp, "TLS is for TCP targets, not " + address);
		Assert.state(this.tls == null || this.framing != Framing.EOF,
				"eof framing ends a request by shutting down the sending side, which a TLS connection cannot do");
		Assert.state(this.replyAddress == null || this.type == UdsListenerType.DATAGRAM,
				"A reply address is for datagram templates; a stream's replies come back on its connection");
		MessageConverter converter = (this.messageConverter != null) ? this.messageConverter
				: UdsMessageConverters.create(JsonMapper.builder().build());
		PayloadCodec payloads = new PayloadCodec(this.charset, converter);
		FrameCodec codec = new FrameCodec(this.framing, this.maxMessageSize);
		UdsListenerType transportType = tcp ? UdsListenerType.TCP : this.type;
		ClientTransport transport = switch (transportType) {
			case STREAM, TCP -> new StreamTransport(address, codec,
					new StreamConnectionPool(address, this.tls, codec, tcp ? 0 : this.maxFileDescriptors, this.timeout,
							this.mode == Mode.POOLED && isPoolable(this.framing), this.maxConnections,
							this.validateAfterInactivity),
					this.timeout.toMillis());
			case DATAGRAM -> new DatagramTransport((UdsAddress) address, this.maxMessageSize, this.maxFileDescriptors,
					this.timeout, this.maxConnections, this.replyAddress);
		};
		ObservationRegistry observations = this.observationRegistry;
		if (observations != null && !observations.isNoop()) {
			transport = new ObservedClientTransport(transport, address, observations, this.observationConvention);
		}
		return new UdsTemplate(address, transportType, payloads, transport);
	}

	/**
	 * Observes each exchange (Micrometer): a timer {@code uds.client.exchange} per target and
	 * outcome, and with Micrometer Tracing a span per exchange.
	 * @param registry where the Observations go; {@code null} (the default) observes nothing
	 * @return this builder
	 */
	public UdsTemplateBuilder observationRegistry(@Nullable ObservationRegistry registry) {
		this.observationRegistry = registry;
		return this;
	}

	/**
	 * Replaces the default names and key values of the exchanges' Observations.
	 * @param convention the convention, or {@code null} for
	 * {@link dev.udsboot.observation.DefaultUdsTemplateObservationConvention}
	 * @return this builder
	 */
	public UdsTemplateBuilder observationConvention(@Nullable UdsTemplateObservationConvention convention) {
		this.observationConvention = convention;
		return this;
	}

	/**
	 * Tells whether connections of a framing can be reused: not {@code eof}, whose request ends
	 * the connection's sending side, nor {@code none}, whose reply has no end that shows whether
	 * more of it is still coming.
	 */
	private static boolean isPoolable(Framing framing) {
		return framing != Framing.EOF && framing != Framing.NONE;
	}

}
