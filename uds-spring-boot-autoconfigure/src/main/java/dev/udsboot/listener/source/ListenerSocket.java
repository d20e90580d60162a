package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.socket.BoundSocketFile;

/**
 * A socket a {@link ListenerSocketSource} opened for a container: the socket, and its socket file
 * if the source bound one (the file is then watched until it is unpublished or closed).
 *
 * @param <S> the socket type
 */
public final class ListenerSocket<S extends Closeable> implements Closeable {

	private static final Log logger = LogFactory.getLog(ListenerSocket.class);

	private final S socket;

	private final @Nullable BoundSocketFile<S> file;

	private final Closeable watch;

	private volatile boolean open = true;

	ListenerSocket(S socket, @Nullable BoundSocketFile<S> file, Closeable watch) {
		this.socket = socket;
		this.file = file;
		this.watch = watch;
	}

	/**
	 * Returns the socket.
	 * @return the socket
	 */
	public S socket() {
		return this.socket;
	}

	/**
	 * Returns the socket file.
	 * @return the file, or {@code null} if the source bound none (an abstract name)
	 */
	public @Nullable BoundSocketFile<S> file() {
		return this.file;
	}

	/**
	 * Tells whether it is still open.
	 * @return {@code true} until {@link #close()}
	 */
	public boolean isOpen() {
		return this.open;
	}

	/** Stops watching the socket file: what happens to it from now on is the owner's doing. */
	private void stopWatching() {
		try {
			this.watch.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to stop watching " + this.file, ex);
		}
	}

	/**
	 * Removes the socket file, if it has one and it is still ours; the socket stays open.
	 */
	public void unpublish() {
		stopWatching();
		if (this.file != null) {
			this.file.unpublish();
		}
	}

	/**
	 * Closes the socket and removes its file. Idempotent.
	 */
	@Override
	public void close() {
		this.open = false;
		stopWatching();
		if (this.file != null) {
			this.file.close();
			return;
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close " + this.socket, ex);
		}
	}

}
