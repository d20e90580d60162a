package dev.udsboot.socket;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A socket bound by {@link SocketFileBinder}: owns the socket, its public path and its private
 * directory. {@link #close()} closes the socket and removes the public path only if it is still
 * the file that was bound (a file someone put there since is left alone), then the private
 * directory.
 *
 * @param <S> the socket type
 */
public final class BoundSocketFile<S extends Closeable> implements Closeable {

	private static final Log logger = LogFactory.getLog(BoundSocketFile.class);

	/** Public paths bound in this process and not yet closed, to tell a clash within it from another process. */
	private static final Map<Path, BoundSocketFile<?>> BOUND_HERE = new ConcurrentHashMap<>();

	private final Path path;

	/** Where the socket was bound before it was linked at the path; null if bound in place. */
	private final @Nullable Path privateDirectory;

	private final SocketFiles.FileIdentity fileKey;

	private final S socket;

	private boolean closed;

	private boolean unpublished;

	BoundSocketFile(Path path, @Nullable Path privateDirectory, SocketFiles.FileIdentity fileKey, S socket) {
		this.path = path;
		this.privateDirectory = privateDirectory;
		this.fileKey = fileKey;
		this.socket = socket;
		BOUND_HERE.put(path, this);
	}

	/**
	 * Tells whether a socket file of this process, not yet closed, was bound at a path.
	 * @param path the public path, absolute and normalized
	 * @return {@code true} if this process holds it
	 */
	static boolean isBoundHere(Path path) {
		return BOUND_HERE.containsKey(path);
	}

	/**
	 * Returns the bound socket.
	 * @return the socket
	 */
	public S socket() {
		return this.socket;
	}

	/**
	 * Returns the public path clients connect to.
	 * @return the path
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * Tells whether the public path still holds the socket that was bound: not deleted, not
	 * replaced.
	 * @return {@code true} if the path is still ours
	 */
	public boolean isStillOurs() {
		try {
			return this.fileKey.equals(SocketFiles.fileKeyOf(this.path));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Removes the public path if it is still ours, so no new client finds the socket there; the
	 * socket stays open on its private path. Idempotent.
	 */
	public synchronized void unpublish() {
		if (this.unpublished) {
			return;
		}
		this.unpublished = true;
		Path moveAside = this.privateDirectory;
		try (SocketPathLock lock = SocketPathLock.acquire(this.path, SocketFileBinder.LOCK_TIMEOUT)) {
			if (moveAside == null) {
				moveAside = SocketFileBinder.createPrivateDirectory(java.util.Objects.requireNonNull(this.path.getParent()));
			}
			if (!SocketFileBinder.removeIfSame(this.path, this.fileKey, moveAside)) {
				logger.info("Left " + this.path + " in place: it was replaced by another file since it was bound");
			}
		}
		catch (IOException ex) {
			logger.warn("Could not remove socket file " + this.path + ": " + ex);
		}
		finally {
			if (this.privateDirectory == null && moveAside != null) {
				SocketFileBinder.deletePrivateDirectory(moveAside);
			}
		}
	}

	/**
	 * Closes the socket, then removes the public path if it is still ours, and the private
	 * directory. Idempotent.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close socket of " + this.path, ex);
		}
		unpublish();
		if (this.privateDirectory != null) {
			SocketFileBinder.deletePrivateDirectory(this.privateDirectory);
		}
		// only this one: after its file was deleted, another of this process may have bound the path
		BOUND_HERE.remove(this.path, this);
	}

	@Override
	public String toString() {
		return "BoundSocketFile[" + this.path + "]";
	}

}
