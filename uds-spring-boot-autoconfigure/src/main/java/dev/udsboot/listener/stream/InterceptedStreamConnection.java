package dev.udsboot.listener.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

import dev.udsboot.framing.FrameInputStream;
import dev.udsboot.listener.UdsListenerInterceptor;
import dev.udsboot.listener.source.ConnectionSocket;

/**
 * A new connection as its container's {@link UdsListenerInterceptor} sees it: what it peeks at
 * stays in the connection's input for the framing to read, unless it skips it.
 */
final class InterceptedStreamConnection implements UdsListenerInterceptor.InterceptedConnection {

	private final ConnectionSocket socket;

	private final FrameInputStream input;

	private final OutputStream output;

	private final LongSupplier peerPid;

	InterceptedStreamConnection(ConnectionSocket socket, FrameInputStream input, OutputStream output,
			LongSupplier peerPid) {
		this.socket = socket;
		this.input = input;
		this.output = output;
		this.peerPid = peerPid;
	}

	@Override
	public long peerPid() {
		return this.peerPid.getAsLong();
	}

	@Override
	public byte[] peek(int timeoutMillis) throws IOException {
		int timeout = this.socket.getSoTimeout();
		try {
			this.socket.setSoTimeout(timeoutMillis);
			return this.input.peek();
		}
		finally {
			this.socket.setSoTimeout(timeout);
		}
	}

	@Override
	public void skip(int count) throws IOException {
		this.input.readNBytes(count);
	}

	@Override
	public void write(byte[] bytes) throws IOException {
		this.output.write(bytes);
		this.output.flush();
	}

}
