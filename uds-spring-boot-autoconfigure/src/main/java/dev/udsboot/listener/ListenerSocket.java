package dev.udsboot.listener;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;

import dev.udsboot.UdsStartupException;

import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFileBinder;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.socket.SocketFileException;
import dev.udsboot.socket.SocketFileWatcher;

/**
 * The socket a container serves on: bound at the listener's path by {@link SocketFileBinder},
 * which owns the socket file, or at its abstract name, which has none. A stream socket is bound
 * privately and then linked at the path; a datagram socket is bound at the path itself, because
 * its name is the source address of every reply (see {@link SocketFileBinder#bindInPlace}).
 * <p>
 * While it is published, the socket file is watched ({@link SocketFileWatcher}): if it is deleted or
 * replaced, one WARN line names the listener and the path. The listener keeps running and serving
 * the connections it has (its health is DOWN); only new clients cannot reach it.
 *
 * @param <S> the socket type
 */
public final class ListenerSocket<S extends Closeable> implements Closeable {

	private static final Log logger = LogFactory.getLog(ListenerSocket.class);

	private final S socket;

	private final @Nullable BoundSocketFile<S> file;

	private final Closeable watch;

	private ListenerSocket(S socket, @Nullable BoundSocketFile<S> file, Closeable watch) {
		this.socket = socket;
		this.file = file;
		this.watch = watch;
	}

	/**
	 * Binds a stream listener's socket: privately, then linked at the listener's path.
	 * @param <S> the socket type
	 * @param definition the listener
	 * @param binder creates, binds and listens on a socket at the address it is given
	 * @return the bound socket
	 * @throws UdsStartupException naming the listener and its properties, if it cannot be bound
	 */
	public static <S extends Closeable> ListenerSocket<S> bind(UdsListenerDefinition definition,
			PrivateSocketBinder<S> binder) {
		return bind(definition, binder, (files, path) -> files.bind(path, definition.socketFile(), binder));
	}

	/**
	 * Binds a datagram listener's socket, at the listener's path itself.
	 * @param definition the listener
	 * @param opener opens the channel, not yet bound
	 * @return the bound channel
	 * @throws UdsStartupException naming the listener and its properties, if it cannot be bound
	 */
	public static ListenerSocket<AFUNIXDatagramChannel> bindDatagram(UdsListenerDefinition definition,
			DatagramOpener opener) {
		return bind(definition, (address) -> {
			AFUNIXDatagramChannel channel = opener.open();
			try {
				channel.bind(address);
				return channel;
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}, (files, path) -> files.bindInPlace(path, definition.socketFile(), opener));
	}

	private static <S extends Closeable> ListenerSocket<S> bind(UdsListenerDefinition definition,
			PrivateSocketBinder<S> abstractBinder, FileBinding<S> fileBinding) {
		Path path = definition.address().path();
		try {
			if (path == null) {
				return new ListenerSocket<>(abstractBinder.bind(definition.address().toSocketAddress()), null, () -> {
				});
			}
			BoundSocketFile<S> bound = fileBinding.bind(new SocketFileBinder(), path);
			Closeable watch = SocketFileWatcher.shared().watch(bound, (what) -> logLost(definition, bound, what));
			return new ListenerSocket<>(bound.socket(), bound, watch);
		}
		catch (SocketFileException ex) {
			throw ex.toStartupFailure("Listener '" + definition.name() + "'", definition.propertyPrefix(),
					java.util.Objects.requireNonNull(path));
		}
		catch (AddressAlreadyInUseSocketException ex) {
			throw new UdsStartupException("Listener '" + definition.name() + "' could not bind the abstract name '"
					+ definition.address().abstractName() + "' (" + definition.propertyPrefix()
					+ "abstract-name): another socket holds it.",
					"Stop the process that holds it (`ss -xlp | grep @" + definition.address().abstractName()
							+ "` names it), or set " + definition.propertyPrefix() + "abstract-name to another name.",
					ex);
		}
		catch (IOException ex) {
			throw new UdsStartupException("Listener '" + definition.name() + "' could not bind "
					+ definition.address() + ": " + ex.getMessage(), "Check " + definition.propertyPrefix()
							+ "abstract-name.", ex);
		}
	}

	private static void logLost(UdsListenerDefinition definition, BoundSocketFile<?> file, String what) {
		String restart = what.equals("deleted") ? "Restart the application to create it again."
				: "That file is left in place on shutdown; restarting the application binds the path again only "
						+ "if it holds a stale socket.";
		logger.warn("The socket file " + file.path() + " of " + definition.describe() + " was " + what
				+ ": new clients cannot reach this listener through it; connections already open are still served. "
				+ restart);
	}

	@FunctionalInterface
	private interface FileBinding<S extends Closeable> {

		BoundSocketFile<S> bind(SocketFileBinder files, Path path);

	}

	/**
	 * Returns the bound socket.
	 * @return the socket
	 */
	public S socket() {
		return this.socket;
	}

	/**
	 * Returns the socket file.
	 * @return the file, or {@code null} for an abstract name
	 */
	public @Nullable BoundSocketFile<S> file() {
		return this.file;
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
