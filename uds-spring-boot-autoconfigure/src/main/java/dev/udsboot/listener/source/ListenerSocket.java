package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.socket.BoundSocketFile;

/**
 * A socket a {@link ListenerSocketSource} opened for a container: the socket, and its socket file
 * if the source bound one (the file is then watched until it is unpublished or closed). A socket
 * passed by a service manager is {@linkplain #isShared() shared}: closing it closes this
 * process's copy only, and the service manager keeps the socket and what is queued on it.
 *
 * @param <S> the socket type
 */
public final class ListenerSocket<S extends Closeable> implements Closeable {

	private static final Log logger = LogFactory.getLog(ListenerSocket.class);

	private final S socket;

	private final @Nullable BoundSocketFile<S> file;

	private final Closeable watch;

	private final @Nullable Closeable sharedRelease;

	private volatile boolean open = true;

	private ListenerSocket(S socket, @Nullable BoundSocketFile<S> file, Closeable watch,
			@Nullable Closeable sharedRelease) {
		this.socket = socket;
		this.file = file;
		this.watch = watch;
		this.sharedRelease = sharedRelease;
	}

	/**
	 * Returns a socket this process bound and owns.
	 * @param socket the socket
	 * @param file its socket file, or {@code null} for an abstract name
	 * @param watch stops watching the file
	 */
	static <S extends Closeable> ListenerSocket<S> owned(S socket, @Nullable BoundSocketFile<S> file,
			Closeable watch) {
		return new ListenerSocket<>(socket, file, watch, null);
	}

	/**
	 * Returns a socket another process (a service manager) holds too.
	 * @param socket this process's copy
	 * @param release closes this process's copy, and nothing else
	 */
	static <S extends Closeable> ListenerSocket<S> shared(S socket, Closeable release) {
		return new ListenerSocket<>(socket, null, () -> {
		}, release);
	}

	/**
	 * Tells whether another process holds the socket too: then a container must not wake its
	 * own accept with a connection of its own (it would stay queued for the next start), and
	 * closing it leaves the socket and its queue to the other process.
	 * @return {@code true} for a socket passed by a service manager
	 */
	public boolean isShared() {
		return this.sharedRelease != null;
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
	 * Closes the socket and removes its file; a shared socket only closes this process's copy.
	 * Idempotent.
	 */
	@Override
	public void close() {
		this.open = false;
		stopWatching();
		if (this.sharedRelease != null) {
			closeQuietly(this.sharedRelease);
			return;
		}
		if (this.file != null) {
			this.file.close();
			return;
		}
		closeQuietly(this.socket);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close " + closeable, ex);
		}
	}

}
