package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import javax.net.ssl.SSLSocket;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;

import dev.udsboot.UdsStartupException;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.TcpTls;

/**
 * A TCP port, opened through the JDK's {@link ServerSocketChannel} (so the acceptor waits in the
 * JDK's selector). Port 0 takes any free port; the port taken is {@link #boundAddress()}. A port
 * opened on an address other than the loopback one is reachable from the network: one WARN line
 * says so. With TLS, every accepted connection is wrapped in the JDK's {@link SSLSocket}, in
 * server mode, with the bundle's context.
 */
public final class TcpSource implements ListenerSocketSource {

	private static final Log logger = LogFactory.getLog(TcpSource.class);

	private static final Closeable NOT_WATCHED = () -> {
	};

	private final String listenerName;

	private final String propertyPrefix;

	private final TcpAddress address;

	private final int backlog;

	private final @Nullable TcpTls tls;

	private volatile @Nullable TcpAddress bound;

	/**
	 * Creates a source.
	 * @param listenerName the listener's name, for log lines and failure messages
	 * @param propertyPrefix the prefix of the listener's properties, e.g. {@code uds.listeners.echo.}
	 * @param address the host and port to listen on
	 * @param backlog the listen backlog
	 * @param tls TLS on every accepted connection, or {@code null} for plain TCP
	 */
	public TcpSource(String listenerName, String propertyPrefix, TcpAddress address, int backlog,
			@Nullable TcpTls tls) {
		this.listenerName = listenerName;
		this.propertyPrefix = propertyPrefix;
		this.address = address;
		this.backlog = backlog;
		this.tls = tls;
	}

	@Override
	public ListenerSocket<ServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder) {
		InetSocketAddress socketAddress;
		try {
			socketAddress = this.address.toSocketAddress();
		}
		catch (UnknownHostException ex) {
			throw new UdsStartupException("Listener '" + this.listenerName + "' cannot listen on " + this.address + ": the host '"
					+ this.address.host() + "' (" + this.propertyPrefix + "host) cannot be resolved.",
					"Set " + this.propertyPrefix + "host to an address of this machine (default 127.0.0.1).", ex);
		}
		ServerSocketChannel channel = null;
		try {
			channel = ServerSocketChannel.open();
			channel.bind(socketAddress, this.backlog);
			ServerSocket server = channel.socket();
			TcpAddress taken = new TcpAddress(this.address.host(), server.getLocalPort());
			this.bound = taken;
			if (!socketAddress.getAddress().isLoopbackAddress()) {
				logger.warn("Listener '" + this.listenerName + "' listens on " + taken + ", which is not the loopback "
						+ "address: it can be reached from the network (" + this.propertyPrefix + "host)");
			}
			return ListenerSocket.owned(server, null, NOT_WATCHED);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw failure(ex);
		}
	}

	private UdsStartupException failure(IOException ex) {
		if (ex instanceof BindException) {
			return new UdsStartupException("Listener '" + this.listenerName + "' cannot listen on " + this.address + " ("
					+ this.propertyPrefix + "host, " + this.propertyPrefix + "port): " + ex.getMessage() + ".",
					"If another process listens on that port (`ss -ltnp 'sport = :" + this.address.port()
							+ "'` names it), stop it or set " + this.propertyPrefix
							+ "port to another port (0 takes any free one); a host must be an address of this machine.",
					ex);
		}
		return new UdsStartupException("Listener '" + this.listenerName + "' cannot listen on " + this.address + ": " + ex,
				"Check " + this.propertyPrefix + "host and " + this.propertyPrefix + "port.", ex);
	}

	private static void closeQuietly(@Nullable Closeable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (IOException ignored) {
				// it was not listening yet
			}
		}
	}

	/**
	 * Refuses: a TCP listener is a stream listener.
	 * @param opener not used
	 * @return never
	 */
	@Override
	public ListenerSocket<AFUNIXDatagramChannel> openDatagramChannel(DatagramOpener opener) {
		throw new IllegalStateException("A TCP listener has no datagram socket: " + this.listenerName);
	}

	/**
	 * Wraps an accepted TCP connection, with Nagle's algorithm off: a listener answers each
	 * message at once, and a small reply held back for more bytes would wait for the peer's
	 * delayed acknowledgement.
	 */
	@Override
	public ConnectionSocket connectionSocket(Socket accepted) {
		try {
			accepted.setTcpNoDelay(true);
		}
		catch (SocketException ex) {
			logger.debug("Cannot set TCP_NODELAY on " + accepted, ex);
		}
		if (this.tls == null) {
			return new TcpConnectionSocket(accepted, accepted);
		}
		try {
			// the handshake happens on the connection's own thread, at its first read, never here
			SSLSocket secured = this.tls.secure(accepted);
			return new TcpConnectionSocket(secured, accepted);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot set up TLS on " + accepted, ex);
		}
	}

	/**
	 * Returns TLS on this source's connections.
	 * @return the settings, or {@code null} for plain TCP
	 */
	public @Nullable TcpTls tls() {
		return this.tls;
	}

	@Override
	public @Nullable ListenerAddress boundAddress() {
		return this.bound;
	}

	@Override
	public String toString() {
		TcpAddress taken = this.bound;
		return (taken != null) ? taken.toString() : this.address.toString();
	}

}
