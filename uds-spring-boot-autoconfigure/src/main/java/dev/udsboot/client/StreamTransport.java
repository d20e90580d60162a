package dev.udsboot.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.client.StreamClientConnection.Reply;
import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.Framing;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;

/**
 * Exchanges messages over connections from a {@link StreamConnectionPool}: a connection serves
 * one exchange at a time, so every reply belongs to its request.
 */
final class StreamTransport implements ClientTransport {

	private final ListenerAddress target;

	private final FrameCodec codec;

	private final StreamConnectionPool pool;

	private final long timeoutMillis;

	StreamTransport(ListenerAddress target, FrameCodec codec, StreamConnectionPool pool, long timeoutMillis) {
		this.target = target;
		this.codec = codec;
		this.pool = pool;
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public @Nullable Reply exchange(byte[] payload, List<FileDescriptor> descriptors, boolean awaitReply) {
		this.codec.checkRequest(payload);
		if (!descriptors.isEmpty() && this.target instanceof TcpAddress) {
			// the caller's mistake, found before a healthy pooled connection is spent on it
			throw new IllegalArgumentException("Cannot send file descriptors to " + this.target
					+ ": TCP carries none");
		}
		StreamClientConnection connection = borrow(!awaitReply);
		boolean completed = false;
		boolean replying = false;
		try {
			try {
				connection.write(payload, descriptors);
			}
			catch (IOException ex) {
				if (!connection.isReused() || !ClientFailures.isClosedByPeer(ex)) {
					throw ex;
				}
				// the server closed this pooled connection while it was idle and never read the
				// request: sent once more, on a new connection
				connection = reopen(connection);
				connection.write(payload, descriptors);
			}
			if (this.codec.framing() == Framing.EOF) {
				connection.endRequest();
			}
			if (!awaitReply) {
				completed = true;
				return null;
			}
			replying = true;
			Reply reply = connection.read();
			if (reply == null) {
				throw ClientFailures.closedWithoutReply(this.target);
			}
			completed = true;
			return reply;
		}
		catch (IOException ex) {
			throw ClientFailures.exchangeFailed(this.target, this.timeoutMillis, replying, ex);
		}
		finally {
			this.pool.release(connection, completed, !awaitReply);
		}
	}

	private StreamClientConnection reopen(StreamClientConnection closed) {
		try {
			return this.pool.reopen(closed);
		}
		catch (IOException ex) {
			throw ClientFailures.connectFailed(this.target, this.timeoutMillis, ex);
		}
	}

	private StreamClientConnection borrow(boolean oneWay) {
		try {
			return this.pool.borrow(oneWay);
		}
		catch (IOException ex) {
			throw ClientFailures.connectFailed(this.target, this.timeoutMillis, ex);
		}
	}

	StreamConnectionPool pool() {
		return this.pool;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
