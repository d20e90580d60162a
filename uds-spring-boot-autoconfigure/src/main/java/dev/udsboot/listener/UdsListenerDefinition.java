package dev.udsboot.listener;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.source.AbstractNameSource;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.listener.source.SocketFileSource;
import dev.udsboot.listener.source.TcpSource;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.TcpTls;
import dev.udsboot.socket.UdsAddress;

/**
 * Everything a container needs to serve one configured listener; the runtime's view of
 * {@code uds.listeners.<name>.*}, independent of how it was configured.
 *
 * @param name the listener's name, which handlers refer to
 * @param type stream or datagram
 * @param address the socket path or abstract name ({@link UdsAddress}), or TCP host and port
 * @param framing how stream messages are delimited
 * @param maxMessageSize the largest payload accepted, inclusive, in bytes
 * @param socketFile mode, group and directory creation for a filesystem socket
 * @param backlog the listen backlog
 * @param maxConnections stream connections beyond this are closed at once
 * @param idleTimeout stream connections idle this long are closed; zero means never
 * @param allowedUids peer uids allowed to connect; empty means anyone who can connect
 * @param allowedGids peer gids allowed to connect; empty means anyone who can connect
 * @param maxFileDescriptors descriptors accepted with one message
 * @param charset charset of {@code String} payloads
 * @param concurrency datagram listeners: threads that receive and handle datagrams
 * @param activation whether a socket passed by systemd is adopted instead of binding one
 * @param tls TCP listeners: TLS on every connection, or {@code null} for plain TCP
 * @param observationEnabled whether each handled message is observed (Micrometer), where the
 * container factory has an observation registry
 */
public record UdsListenerDefinition(String name, UdsListenerType type, ListenerAddress address, Framing framing,
		int maxMessageSize, SocketFileOptions socketFile, int backlog, int maxConnections, Duration idleTimeout,
		Set<Integer> allowedUids, Set<Integer> allowedGids, int maxFileDescriptors, Charset charset,
		int concurrency, UdsListenerActivation activation, @Nullable TcpTls tls, boolean observationEnabled) {

	private static final Set<ListenerCapability> STREAM_CAPABILITIES = Collections.unmodifiableSet(
			EnumSet.of(ListenerCapability.CONNECTIONS, ListenerCapability.PEER_CREDENTIALS,
					ListenerCapability.FILE_DESCRIPTORS));

	private static final Set<ListenerCapability> DATAGRAM_CAPABILITIES = Collections
		.unmodifiableSet(EnumSet.of(ListenerCapability.FILE_DESCRIPTORS));

	private static final Set<ListenerCapability> TCP_CAPABILITIES = Collections
		.unmodifiableSet(EnumSet.of(ListenerCapability.CONNECTIONS));


	/**
	 * Tells whether a peer may use this listener: with both allow-lists empty anyone who can connect
	 * may; otherwise its uid must be in {@code allowedUids} or one of its groups (primary or
	 * supplementary) in {@code allowedGids}.
	 * @param peer the peer's credentials
	 * @return {@code true} if the peer is allowed
	 */
	public boolean allows(PeerCredentials peer) {
		if (this.allowedUids.isEmpty() && this.allowedGids.isEmpty()) {
			return true;
		}
		return this.allowedUids.contains((int) peer.uid()) || this.allowedGids.stream().anyMatch(peer::isInGroup);
	}

	/**
	 * Returns what this listener's socket gives besides messages: a stream socket gives
	 * connections, its peers' credentials and descriptors; a datagram socket gives descriptors
	 * (junixsocket cannot receive a datagram sender's credentials); a TCP port gives connections.
	 * @return the capabilities
	 */
	public Set<ListenerCapability> capabilities() {
		return switch (this.type) {
			case STREAM -> STREAM_CAPABILITIES;
			case DATAGRAM -> DATAGRAM_CAPABILITIES;
			case TCP -> TCP_CAPABILITIES;
		};
	}

	/**
	 * Tells whether this listener's socket gives a capability.
	 * @param capability the capability
	 * @return {@code true} if it does
	 */
	public boolean has(ListenerCapability capability) {
		return capabilities().contains(capability);
	}

	/**
	 * Tells whether this listener checks its peers against allow-lists.
	 * @return {@code true} if either allow-list is set
	 */
	public boolean hasAllowList() {
		return !this.allowedUids.isEmpty() || !this.allowedGids.isEmpty();
	}

	/**
	 * Tells whether every client of this listener presents a verified certificate.
	 * @return {@code true} for a TCP listener with TLS and {@code ssl.client-auth: need}
	 */
	public boolean requiresClientCertificates() {
		return this.tls != null && this.tls.clientAuth() == TcpTls.ClientAuth.NEED;
	}

	/**
	 * Returns the prefix of this listener's properties, for messages that name one.
	 * @return e.g. {@code uds.listeners.echo.}
	 */
	public String propertyPrefix() {
		return "uds.listeners." + this.name + ".";
	}

	/**
	 * Creates the source of this listener's socket: its path, whose socket file the starter owns,
	 * its abstract name, or its TCP host and port.
	 * @return a new source
	 */
	public ListenerSocketSource newSocketSource() {
		if (this.address instanceof TcpAddress tcp) {
			return new TcpSource(this.name, propertyPrefix(), tcp, this.backlog, this.tls);
		}
		UdsAddress uds = (UdsAddress) this.address;
		Path path = uds.path();
		return (path != null) ? new SocketFileSource(this.name, propertyPrefix(), path, this.socketFile)
				: new AbstractNameSource(this.name, propertyPrefix(), uds);
	}

	/**
	 * Returns the Unix domain socket address of this listener.
	 * @return its path or abstract name, or {@code null} if it is not a Unix domain socket
	 */
	public @Nullable UdsAddress udsAddress() {
		return (this.address instanceof UdsAddress uds) ? uds : null;
	}

	/**
	 * Describes the listener for log lines and errors.
	 * @return e.g. {@code listener 'echo' (/run/app/echo.sock)}
	 */
	public String describe() {
		return "listener '" + this.name + "' (" + this.address + ")";
	}

}
