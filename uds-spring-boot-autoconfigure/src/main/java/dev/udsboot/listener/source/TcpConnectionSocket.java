package dev.udsboot.listener.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import org.jspecify.annotations.Nullable;

import dev.udsboot.framing.OutboundDescriptors;
import dev.udsboot.socket.PeerCredentials;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * A connection accepted on a TCP port: no peer credentials, no descriptors (startup refuses
 * handlers that need them on a TCP listener, so refusing them here is a last guard).
 */
final class TcpConnectionSocket implements ConnectionSocket {

	private final Socket socket;

	TcpConnectionSocket(Socket socket) {
		this.socket = socket;
	}

	@Override
	public InputStream getInputStream() throws IOException {
		return this.socket.getInputStream();
	}

	@Override
	public OutputStream getOutputStream() throws IOException {
		return this.socket.getOutputStream();
	}

	@Override
	public int getSoTimeout() throws IOException {
		return this.socket.getSoTimeout();
	}

	@Override
	public void setSoTimeout(int millis) throws IOException {
		this.socket.setSoTimeout(millis);
	}

	@Override
	public @Nullable PeerCredentials readPeerCredentials() {
		return null;
	}

	@Override
	public @Nullable ReceivedDescriptors trackReceivedDescriptors(int maxPerMessage) {
		return null;
	}

	@Override
	public OutboundDescriptors outboundDescriptors() {
		return (descriptors) -> {
			if (descriptors != null && descriptors.length > 0) {
				throw new IOException("A TCP connection carries no file descriptors");
			}
		};
	}

	@Override
	public void shutdownInput() throws IOException {
		this.socket.shutdownInput();
	}

	@Override
	public boolean isClosed() {
		return this.socket.isClosed();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	@Override
	public String toString() {
		return this.socket.toString();
	}

}
