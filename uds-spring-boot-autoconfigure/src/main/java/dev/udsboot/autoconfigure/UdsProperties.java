package dev.udsboot.autoconfigure;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.UdsListenerActivation;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.socket.JunixsocketWorkarounds;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.TcpTls;
import dev.udsboot.socket.UdsAddress;

/**
 * Configuration of Unix domain socket listeners ({@code uds.*}). Checked at startup: a property
 * name under {@code uds.} that does not exist fails it, and so does an invalid listener, with the
 * property and value named.
 * <p>
 * Long because every property of a listener is a field with its javadoc, which is what the
 * configuration metadata and the IDE show, as in Spring Boot's own properties classes.
 */
@ConfigurationProperties("uds")
public class UdsProperties implements InitializingBean, EnvironmentAware {

	/** Largest descriptors-per-message value the kernel allows (SCM_MAX_FD). */
	static final int KERNEL_MAX_FILE_DESCRIPTORS = 253;

	/** Largest max-message-size of a datagram listener: each receiving thread holds a buffer of it. */
	static final long MAX_DATAGRAM_SIZE = 16 * 1024 * 1024;

	/** Most threads a datagram listener may have. */
	static final int MAX_DATAGRAM_CONCURRENCY = 256;

	/** Most memory a datagram listener's receive buffers may take together. */
	static final long MAX_DATAGRAM_BUFFERS = 256L * 1024 * 1024;

	/**
	 * Whether to start the configured listeners.
	 */
	private boolean enabled = true;

	/**
	 * Listeners by name; a @UdsHandler method serves each one by naming it.
	 */
	private final Map<String, Listener> listeners = new LinkedHashMap<>();

	/**
	 * junixsocket workarounds whose absence the application accepts, by name
	 * (datagram-bind-guard, ...). Startup logs which are active. Only datagram-bind-guard touches
	 * security: without it a datagram socket file is writable by every user for a moment after its
	 * bind, so binding one fails unless it is listed here (then it is bound with a warning). The
	 * junixsocket version the starter depends on has every workaround; leave this empty.
	 */
	private Set<JunixsocketWorkarounds.Workaround> acceptMissingWorkarounds = new LinkedHashSet<>();

	private final Observations observations = new Observations();

	private @Nullable Environment environment;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Listener> getListeners() {
		return this.listeners;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Set<JunixsocketWorkarounds.Workaround> getAcceptMissingWorkarounds() {
		return this.acceptMissingWorkarounds;
	}

	public void setAcceptMissingWorkarounds(Set<JunixsocketWorkarounds.Workaround> acceptMissingWorkarounds) {
		this.acceptMissingWorkarounds = acceptMissingWorkarounds;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.environment != null) {
			// before the values: a misspelt name would otherwise surface as a missing value
			UdsPropertyNames.checkKnown(this.environment);
		}
		this.listeners.forEach(this::validate);
		checkAddressesDistinct();
	}

	private void checkAddressesDistinct() {
		Map<Object, String> owners = new java.util.HashMap<>();
		this.listeners.forEach((name, listener) -> {
			String prefix = "uds.listeners." + name + ".";
			ListenerAddress address = address(prefix, listener);
			if (address instanceof TcpAddress tcp && tcp.port() == 0) {
				// any free port: never the same as another
				return;
			}
			Path path = (address instanceof UdsAddress uds) ? uds.path() : null;
			Object key = (path != null) ? path.toAbsolutePath().normalize() : address;
			String other = owners.putIfAbsent(key, name);
			if (other != null) {
				String property = (address instanceof TcpAddress) ? "port"
						: ((UdsAddress) address).isAbstract() ? "abstract-name" : "path";
				Object value = switch (property) {
					case "port" -> listener.getPort();
					case "abstract-name" -> listener.getAbstractName();
					default -> listener.getPath();
				};
				throw new InvalidConfigurationPropertyValueException(prefix + property, value,
						"uds.listeners." + other + "." + property + " is the same socket: each listener needs a socket "
								+ "of its own");
			}
		});
	}

	private void validate(String name, Listener listener) {
		String prefix = "uds.listeners." + name + ".";
		if (listener.getType() == UdsListenerType.TCP) {
			validateTcp(prefix, listener);
		}
		else {
			validateUnix(prefix, listener);
		}
		if (listener.getType() == UdsListenerType.DATAGRAM && listener.getFraming() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "framing", listener.getFraming(),
					"Framing applies to stream listeners only: each datagram is one message");
		}
		if (listener.getType() == UdsListenerType.DATAGRAM) {
			validateDatagram(prefix, listener);
		}
		else if (listener.getConcurrency() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "concurrency", listener.getConcurrency(),
					"Concurrency applies to datagram listeners only: a stream listener has a thread per connection");
		}
		nonNegativeIds(prefix + "allowed-uids", listener.getAllowedUids());
		nonNegativeIds(prefix + "allowed-gids", listener.getAllowedGids());
		listener.toSocketFileOptions(prefix);
		long maxMessageSize = listener.getMaxMessageSize().toBytes();
		if (maxMessageSize < 1 || maxMessageSize > dev.udsboot.framing.FrameCodec.MAX_LIMIT) {
			throw new InvalidConfigurationPropertyValueException(prefix + "max-message-size",
					listener.getMaxMessageSize(), "Must be between 1B and 2GB");
		}
		positive(prefix + "backlog", listener.getBacklog());
		positive(prefix + "max-connections", listener.getMaxConnections());
		if (listener.getIdleTimeout().isNegative()) {
			throw new InvalidConfigurationPropertyValueException(prefix + "idle-timeout", listener.getIdleTimeout(),
					"Must not be negative (0 means never)");
		}
		if (listener.getMaxFileDescriptors() < 0 || listener.getMaxFileDescriptors() > KERNEL_MAX_FILE_DESCRIPTORS) {
			throw new InvalidConfigurationPropertyValueException(prefix + "max-file-descriptors",
					listener.getMaxFileDescriptors(), "Must be between 0 and " + KERNEL_MAX_FILE_DESCRIPTORS);
		}
	}

	/** A TCP listener: host and port; none of what only a Unix domain socket has. */
	private static void validateTcp(String prefix, Listener listener) {
		String noSocketFile = "A TCP listener listens on host and port: it has no Unix domain socket";
		if (StringUtils.hasLength(listener.getPath())) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path", listener.getPath(), noSocketFile);
		}
		if (StringUtils.hasLength(listener.getAbstractName())) {
			throw new InvalidConfigurationPropertyValueException(prefix + "abstract-name", listener.getAbstractName(),
					noSocketFile);
		}
		List<String> fileProperties = listener.toSocketFileOptions(prefix).propertiesOtherThanDefaults();
		if (!fileProperties.isEmpty()) {
			String property = fileProperties.get(0);
			Object value = switch (property) {
				case "file-mode" -> listener.getFileMode();
				case "file-group" -> String.valueOf(listener.getFileGroup());
				case "create-directories" -> listener.isCreateDirectories();
				default -> listener.getDirectoryMode();
			};
			throw new InvalidConfigurationPropertyValueException(prefix + property, value,
					noSocketFile + ", so no socket file: who can connect is decided by host");
		}
		if (!listener.getAllowedUids().isEmpty() || !listener.getAllowedGids().isEmpty()) {
			String property = listener.getAllowedUids().isEmpty() ? "allowed-gids" : "allowed-uids";
			throw new InvalidConfigurationPropertyValueException(prefix + property,
					listener.getAllowedUids().isEmpty() ? listener.getAllowedGids() : listener.getAllowedUids(),
					"A TCP listener cannot check its peers' uids and gids: TCP carries no credentials");
		}
		if (listener.getSsl().getBundle() == null && listener.getSsl().getClientAuth() != TcpTls.ClientAuth.NONE) {
			throw new InvalidConfigurationPropertyValueException(prefix + "ssl.client-auth",
					listener.getSsl().getClientAuth(), "Client certificates need TLS: set " + prefix + "ssl.bundle");
		}
		if (listener.getActivation() == UdsListenerActivation.REQUIRED) {
			throw new InvalidConfigurationPropertyValueException(prefix + "activation", "required",
					"A TCP listener opens its own port: sockets passed by systemd are adopted by Unix domain socket "
							+ "listeners only");
		}
		address(prefix, listener);
	}

	/** A Unix domain socket listener: a path or an abstract name, and no host, port or TLS. */
	private static void validateUnix(String prefix, Listener listener) {
		if (listener.getSsl().getBundle() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "ssl.bundle", listener.getSsl().getBundle(),
					"TLS is for TCP listeners (type: tcp); a Unix domain socket is reached from this machine only, "
							+ "and file-mode and file-group decide who may connect");
		}
		if (listener.getHost() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "host", listener.getHost(),
					"host is for TCP listeners (type: tcp); this one is a Unix domain socket");
		}
		if (listener.getPort() != null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "port", listener.getPort(),
					"port is for TCP listeners (type: tcp); this one is a Unix domain socket");
		}
		boolean hasPath = StringUtils.hasLength(listener.getPath());
		boolean hasAbstractName = StringUtils.hasLength(listener.getAbstractName());
		if (hasPath == hasAbstractName) {
			throw new InvalidConfigurationPropertyValueException(prefix + "path",
					hasPath ? listener.getPath() : "(none)",
					hasPath ? "Set either path or abstract-name, not both (abstract-name is '"
							+ listener.getAbstractName() + "')" : "Set either path or abstract-name");
		}
		address(prefix, listener);
	}

	private static void validateDatagram(String prefix, Listener listener) {
		if (!listener.getAllowedUids().isEmpty() || !listener.getAllowedGids().isEmpty()) {
			String property = listener.getAllowedUids().isEmpty() ? "allowed-gids" : "allowed-uids";
			throw new InvalidConfigurationPropertyValueException(prefix + property,
					listener.getAllowedUids().isEmpty() ? listener.getAllowedGids() : listener.getAllowedUids(),
					"A datagram listener cannot check its senders: junixsocket cannot receive their credentials "
							+ "(no SO_PASSCRED). Restrict who may send with file-mode and file-group, or use a stream "
							+ "listener");
		}
		if (listener.getMaxMessageSize().toBytes() > MAX_DATAGRAM_SIZE) {
			throw new InvalidConfigurationPropertyValueException(prefix + "max-message-size",
					listener.getMaxMessageSize(), "A Unix datagram is at most the sender's socket buffer "
							+ "(net.core.wmem_max); the limit here is " + MAX_DATAGRAM_SIZE / (1024 * 1024) + "MB");
		}
		int concurrency = (listener.getConcurrency() != null) ? listener.getConcurrency()
				: UdsListenerDefaults.CONCURRENCY;
		if (concurrency < 1 || concurrency > MAX_DATAGRAM_CONCURRENCY) {
			throw new InvalidConfigurationPropertyValueException(prefix + "concurrency", concurrency,
					"Must be between 1 and " + MAX_DATAGRAM_CONCURRENCY);
		}
		if (concurrency * listener.getMaxMessageSize().toBytes() > MAX_DATAGRAM_BUFFERS) {
			throw new InvalidConfigurationPropertyValueException(prefix + "concurrency", concurrency,
					"Each thread holds a receive buffer of max-message-size (" + listener.getMaxMessageSize()
							+ "): together they must stay within " + MAX_DATAGRAM_BUFFERS / (1024 * 1024) + "MB");
		}
	}

	static ListenerAddress address(String prefix, Listener listener) {
		if (listener.getType() == UdsListenerType.TCP) {
			int port = (listener.getPort() != null) ? listener.getPort() : 0;
			String host = (listener.getHost() != null) ? listener.getHost() : UdsListenerDefaults.TCP_HOST;
			if (!StringUtils.hasText(host)) {
				throw new InvalidConfigurationPropertyValueException(prefix + "host", host, "Must not be empty");
			}
			if (port < 0 || port > 65535) {
				throw new InvalidConfigurationPropertyValueException(prefix + "port", port,
						"Must be between 0 (any free port) and 65535");
			}
			return new TcpAddress(host, port);
		}
		String path = StringUtils.hasLength(listener.getPath()) ? listener.getPath() : null;
		String property = (path != null) ? prefix + "path" : prefix + "abstract-name";
		String value = (path != null) ? path : listener.getAbstractName();
		try {
			return (path != null) ? UdsAddress.ofPath(Path.of(path))
					: UdsAddress.ofAbstractName(java.util.Objects.requireNonNull(value));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, "The address " + ex.getMessage());
		}
	}

	private static void nonNegativeIds(String property, List<Integer> ids) {
		if (ids.stream().anyMatch((id) -> id == null || id < 0)) {
			throw new InvalidConfigurationPropertyValueException(property, ids, "Ids must not be negative");
		}
	}

	private static void positive(String property, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be at least 1");
		}
	}

	/**
	 * TLS on a TCP listener, from a Spring Boot SSL bundle.
	 */
	public static class Ssl {

		/**
		 * The spring.ssl.bundle.* bundle with the server's certificate and key (and the trusted
		 * certificates of clients, with client-auth); TLS is on when it is set.
		 */
		private @Nullable String bundle;

		/**
		 * Whether clients present certificates: none, want (asked for; a client without one is let
		 * in) or need (a client without a trusted one is refused).
		 */
		private TcpTls.ClientAuth clientAuth = TcpTls.ClientAuth.NONE;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public TcpTls.ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(TcpTls.ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

	}

	/** Micrometer Observations of handled messages and template exchanges. */
	public static class Observations {

		/**
		 * Whether to observe each message the listeners handle and each exchange of the
		 * auto-configured templates (a timer and, with Micrometer Tracing, a span each). Off by
		 * default: it costs a little CPU per message. A listener's observation-enabled overrides it.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * One listener: a socket and how its messages are read. The field initialisers are the
	 * defaults of {@link UdsListenerDefaults} spelt as literals, as for every properties class of
	 * the starter (the configuration metadata processor reads only literals); a test holds them
	 * equal. A map's values are not described by the processor, so
	 * {@code additional-spring-configuration-metadata.json} documents these defaults, and a test
	 * holds that equal too.
	 */
	public static class Listener extends SocketFileProperties {

		/**
		 * Socket type.
		 */
		private UdsListenerType type = UdsListenerType.STREAM;

		/**
		 * Filesystem path of the socket (at most 107 bytes). Exactly one of path and
		 * abstract-name must be set.
		 */
		private @Nullable String path;

		/**
		 * Name in Linux's abstract namespace (no socket file). Exactly one of path and
		 * abstract-name must be set.
		 */
		private @Nullable String abstractName;

		/**
		 * How stream messages are delimited (line, crlf, length-prefix, null, stx-etx, eof,
		 * none); replies use the same. Stream listeners only; line when not set. Quote "null" in
		 * YAML.
		 */
		private @Nullable Framing framing;

		/**
		 * Largest message accepted, inclusive; a larger frame or datagram is rejected.
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(64);

		/**
		 * Listen backlog: connections the kernel queues before they are accepted.
		 */
		private int backlog = 128;

		/**
		 * Maximum open connections (stream); more are closed as soon as they are accepted.
		 */
		private int maxConnections = 1024;

		/**
		 * Close stream connections that send nothing for this long; 0 means never.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Peer uids allowed to use the listener; empty allows anyone who can connect.
		 */
		private List<Integer> allowedUids = new ArrayList<>();

		/**
		 * Peer gids allowed to use the listener; empty allows anyone who can connect.
		 */
		private List<Integer> allowedGids = new ArrayList<>();

		/**
		 * Maximum file descriptors accepted with one message (0 to 253); a message with more is
		 * rejected and its descriptors closed.
		 */
		private int maxFileDescriptors = 16;

		/**
		 * Charset of String payloads and replies.
		 */
		private Charset charset = StandardCharsets.UTF_8;

		/**
		 * Datagram listeners only: threads that receive and handle datagrams (default 1, which
		 * handles them in arrival order).
		 */
		private @Nullable Integer concurrency;

		/**
		 * Whether to adopt a socket passed by systemd (LISTEN_FDS) whose name (LISTEN_FDNAMES) is
		 * the listener's name or whose address is its path or abstract name: auto adopts one if
		 * passed and binds the socket otherwise, required fails startup if none is passed, off
		 * always binds.
		 */
		private UdsListenerActivation activation = UdsListenerActivation.AUTO;

		/**
		 * Whether to observe each message this listener handles (Micrometer Observation: a timer
		 * uds.message, and a span with Micrometer Tracing). Default: uds.observations.enabled.
		 */
		private @Nullable Boolean observationEnabled;

		/**
		 * TCP listeners only: the address to listen on (default 127.0.0.1, the loopback address:
		 * reachable from this machine only).
		 */
		private @Nullable String host;

		/**
		 * TCP listeners only: the port to listen on; 0 (the default) takes any free port, which
		 * the log and the health details show.
		 */
		private @Nullable Integer port;

		/**
		 * TCP listeners only: TLS.
		 */
		private final Ssl ssl = new Ssl();

		public Ssl getSsl() {
			return this.ssl;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public UdsListenerActivation getActivation() {
			return this.activation;
		}

		public @Nullable Boolean getObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(@Nullable Boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public void setActivation(UdsListenerActivation activation) {
			this.activation = activation;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public UdsListenerType getType() {
			return this.type;
		}

		public void setType(UdsListenerType type) {
			this.type = type;
		}

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable String getAbstractName() {
			return this.abstractName;
		}

		public void setAbstractName(@Nullable String abstractName) {
			this.abstractName = abstractName;
		}

		public @Nullable Framing getFraming() {
			return this.framing;
		}

		public void setFraming(@Nullable Framing framing) {
			this.framing = framing;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public int getBacklog() {
			return this.backlog;
		}

		public void setBacklog(int backlog) {
			this.backlog = backlog;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public List<Integer> getAllowedUids() {
			return this.allowedUids;
		}

		public void setAllowedUids(List<Integer> allowedUids) {
			this.allowedUids = allowedUids;
		}

		public List<Integer> getAllowedGids() {
			return this.allowedGids;
		}

		public void setAllowedGids(List<Integer> allowedGids) {
			this.allowedGids = allowedGids;
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

}
