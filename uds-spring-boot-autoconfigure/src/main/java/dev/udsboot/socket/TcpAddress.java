package dev.udsboot.socket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a TCP listener listens: a host (a name or an address) and a port, {@code 0} for any free
 * one.
 *
 * @param host the host to bind, e.g. {@code 127.0.0.1}
 * @param port the port, 0 to 65535
 */
public record TcpAddress(String host, int port) implements ListenerAddress {

	/**
	 * Checks the port.
	 * @param host the host to bind
	 * @param port the port
	 */
	public TcpAddress {
		if (host.startsWith("[") && host.endsWith("]")) {
			// an IPv6 address as URLs write it
			host = host.substring(1, host.length() - 1);
		}
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("A TCP port is 0 to 65535, not " + port);
		}
	}

	/**
	 * Resolves the host to the address to bind.
	 * @return the socket address
	 * @throws UnknownHostException if the host cannot be resolved
	 */
	public InetSocketAddress toSocketAddress() throws UnknownHostException {
		return new InetSocketAddress(InetAddress.getByName(this.host), this.port);
	}

	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}
