package dev.udsboot.listener.source;

import java.io.IOException;

import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.framing.OutboundDescriptors;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.PeerCredentialsReader;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * A connection accepted on a Unix domain socket: the peer's credentials come from the kernel
 * ({@code SO_PEERCRED}), and descriptors travel with the bytes ({@code SCM_RIGHTS}).
 */
public final class UnixConnectionSocket extends SocketConnection<AFUNIXSocket> {

	/**
	 * Wraps an accepted junixsocket socket.
	 * @param socket the connection, in blocking mode
	 */
	public UnixConnectionSocket(AFUNIXSocket socket) {
		super(socket);
	}

	@Override
	public PeerCredentials readPeerCredentials() throws IOException {
		return PeerCredentialsReader.read(this.socket);
	}

	@Override
	public ReceivedDescriptors trackReceivedDescriptors(int maxPerMessage) {
		return new ReceivedDescriptors(this.socket, maxPerMessage);
	}

	@Override
	public OutboundDescriptors outboundDescriptors() {
		return this.socket::setOutboundFileDescriptors;
	}

	/**
	 * Shuts the input down through the socket's channel: on JDK 25,
	 * {@code java.net.Socket#shutdownInput} refuses junixsocket's sockets ("Socket is not
	 * connected"), which would turn a graceful stop into a close.
	 */
	@Override
	public void shutdownInput() throws IOException {
		this.socket.getChannel().shutdownInput();
	}

}
