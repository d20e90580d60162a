package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;

import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.socket.SocketFileBinder;
import dev.udsboot.socket.SocketFileException;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.SocketFileWatcher;
import dev.udsboot.socket.SocketFiles;

/**
 * A socket bound at a path by {@link SocketFileBinder}, which owns the socket file: created with
 * the listener's mode and group, never wider, and removed on close only while it is still ours. A
 * stream socket is bound privately and then linked at the path; a datagram socket is bound at the
 * path itself, because its name is the source address of every reply (see
 * {@link SocketFileBinder#bindInPlace}).
 * <p>
 * While the socket is open, its file is watched ({@link SocketFileWatcher}): if it is deleted or
 * replaced, one WARN line names the listener and the path. The listener keeps running and serving
 * the connections it has (its health is DOWN); only new clients cannot reach it.
 */
public final class SocketFileSource implements ListenerSocketSource {

	private static final Log logger = LogFactory.getLog(SocketFileSource.class);

	private final String listenerName;

	private final String propertyPrefix;

	private final Path path;

	private final SocketFileOptions options;

	private volatile @Nullable ListenerSocket<?> opened;

	/**
	 * Creates a source.
	 * @param listenerName the listener's name, for log lines and failure messages
	 * @param propertyPrefix the prefix of the listener's properties, e.g. {@code uds.listeners.echo.}
	 * @param path where the socket file goes
	 * @param options the socket file's mode, group and directory creation
	 */
	public SocketFileSource(String listenerName, String propertyPrefix, Path path, SocketFileOptions options) {
		this.listenerName = listenerName;
		this.propertyPrefix = propertyPrefix;
		this.path = path;
		this.options = options;
	}

	@Override
	public ListenerSocket<AFUNIXServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder) {
		return open((files) -> files.bind(this.path, this.options, binder));
	}

	@Override
	public ListenerSocket<AFUNIXDatagramChannel> openDatagramChannel(DatagramOpener opener) {
		return open((files) -> files.bindInPlace(this.path, this.options, opener));
	}

	private <S extends Closeable> ListenerSocket<S> open(FileBinding<S> binding) {
		BoundSocketFile<S> bound;
		try {
			bound = binding.bind(new SocketFileBinder());
		}
		catch (SocketFileException ex) {
			throw ex.toStartupFailure("Listener '" + this.listenerName + "'", this.propertyPrefix, this.path);
		}
		Closeable watch = SocketFileWatcher.shared().watch(bound, (what) -> logLost(bound, what));
		ListenerSocket<S> socket = ListenerSocket.owned(bound.socket(), bound, watch);
		this.opened = socket;
		return socket;
	}

	private void logLost(BoundSocketFile<?> file, String what) {
		String restart = what.equals("deleted") ? "Restart the application to create it again."
				: "That file is left in place on shutdown; restarting the application binds the path again only "
						+ "if it holds a stale socket.";
		logger.warn("The socket file " + file.path() + " of listener '" + this.listenerName + "' (" + this.path
				+ ") was " + what + ": new clients cannot reach this listener through it; connections already open "
				+ "are still served. " + restart);
	}

	@Override
	public @Nullable BoundSocketFile<?> socketFile() {
		ListenerSocket<?> socket = this.opened;
		return (socket != null && socket.isOpen()) ? socket.file() : null;
	}

	@Override
	public @Nullable String socketFileProblem() {
		BoundSocketFile<?> file = socketFile();
		if (file == null) {
			return "the listener has no socket file";
		}
		if (file.isStillOurs()) {
			return null;
		}
		try {
			if (SocketFiles.kindOf(file.path()) == SocketFiles.Kind.MISSING) {
				return "the socket file " + file.path() + " was deleted";
			}
		}
		catch (IOException ex) {
			return "the socket file " + file.path() + " cannot be examined: " + ex.getMessage();
		}
		return "the socket file " + file.path() + " was replaced by another file";
	}

	@Override
	public String toString() {
		return this.path.toString();
	}

	@FunctionalInterface
	private interface FileBinding<S extends Closeable> {

		BoundSocketFile<S> bind(SocketFileBinder files);

	}

}
