package dev.udsboot.listener.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * What every {@link ConnectionSocket} does the same way on a {@link Socket}: its streams, its read
 * timeout, closing. junixsocket's sockets are {@code java.net.Socket}s too, so the Unix domain and
 * TCP connections share it and differ only in what their transport carries.
 *
 * @param <S> the socket type
 */
abstract class SocketConnection<S extends Socket> implements ConnectionSocket {

	/** What is read and written. */
	protected final S socket;

	SocketConnection(S socket) {
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
