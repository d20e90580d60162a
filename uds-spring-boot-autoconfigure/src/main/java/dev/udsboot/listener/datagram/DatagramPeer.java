package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.listener.UdsPeer;
import dev.udsboot.socket.PeerCredentials;

/**
 * The sender of one datagram: messages to it go to the address it sent from.
 */
final class DatagramPeer implements UdsPeer {

	private final String listenerName;

	private final @Nullable AFUNIXSocketAddress address;

	private final DatagramSender sender;

	DatagramPeer(String listenerName, @Nullable AFUNIXSocketAddress address, DatagramSender sender) {
		this.listenerName = listenerName;
		this.address = address;
		this.sender = sender;
	}

	@Override
	public String listenerName() {
		return this.listenerName;
	}

	/**
	 * Returns {@code null}: junixsocket cannot receive a datagram sender's credentials.
	 * @return {@code null}
	 */
	@Override
	public @Nullable PeerCredentials peerCredentials() {
		return null;
	}

	@Override
	public void send(byte[] payload) {
		this.sender.send(this.address, payload, List.of());
	}

	@Override
	public void send(byte[] payload, List<FileDescriptor> descriptors) {
		this.sender.send(this.address, payload, descriptors);
	}

	@Override
	public String toString() {
		return "datagram sender " + ((this.address != null) ? this.address : "(unbound)") + " of listener '"
				+ this.listenerName + "'";
	}

}
