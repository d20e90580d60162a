package dev.udsboot.client;

import java.io.FileDescriptor;
import java.io.IOException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.client.StreamClientConnection.Reply;
import dev.udsboot.framing.FrameCodec;
import dev.udsboot.socket.UdsAddress;

/**
 * Exchanges messages over connections from a {@link StreamConnectionPool}: a connection serves
 * one exchange at a time, so every reply belongs to its request.
 */
final class StreamTransport implements ClientTransport {

	private final UdsAddress target;

	private final FrameCodec codec;

	private final StreamConnectionPool pool;

	private final long timeoutMillis;

	StreamTransport(UdsAddress target, FrameCodec codec, StreamConnectionPool pool, long timeoutMillis) {
		this.target = target;
		this.codec = codec;
		this.pool = pool;
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public @Nullable Reply exchange(byte[] payload, List<FileDescriptor> descriptors, boolean awaitReply) {
		this.codec.checkRequest(payload);
		StreamClientConnection connection;
		try {
			connection = this.pool.borrow(!awaitReply);
		}
		catch (IOException ex) {
			throw ClientFailures.connectFailed(this.target, this.timeoutMillis, ex);
		}
		boolean completed = false;
		boolean replying = false;
		try {
			connection.write(payload, descriptors);
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

	StreamConnectionPool pool() {
		return this.pool;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
