package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;

import dev.udsboot.UdsStartupException;
import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.PassedSocket;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.socket.SocketFileOptions;

/**
 * A socket passed by systemd (socket activation), which systemd created and owns: it is never
 * bound, unlinked, chmod-ed or chgrp-ed here, and closing it closes this process's copy only, so
 * systemd keeps it, and the connections queued on it, for the next start. Each start adopts a
 * duplicate of the passed descriptor ({@link PassedSocket}).
 */
public final class PassedSocketSource implements ListenerSocketSource {

	private static final Log logger = LogFactory.getLog(PassedSocketSource.class);

	private final String listenerName;

	private final PassedSocket passed;

	private final List<String> unusedFileProperties;

	private final String propertyPrefix;

	private boolean toldUnused;

	private volatile @Nullable Object fileAtAdoption;

	/**
	 * Creates a source.
	 * @param listenerName the listener's name, for log lines and failure messages
	 * @param propertyPrefix the prefix of the listener's properties, e.g. {@code uds.listeners.echo.}
	 * @param passed the socket systemd passed for the listener, of the listener's kind
	 * @param socketFile the listener's socket file settings, which do not apply to it
	 */
	public PassedSocketSource(String listenerName, String propertyPrefix, PassedSocket passed,
			SocketFileOptions socketFile) {
		this.listenerName = listenerName;
		this.propertyPrefix = propertyPrefix;
		this.passed = passed;
		this.unusedFileProperties = socketFile.propertiesOtherThanDefaults();
	}

	/**
	 * Returns the passed socket this source adopts.
	 * @return the passed socket
	 */
	public PassedSocket passedSocket() {
		return this.passed;
	}

	@Override
	public ListenerSocket<AFUNIXServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder) {
		return adopt(() -> this.passed.adoptServerSocket());
	}

	@Override
	public ListenerSocket<AFUNIXDatagramChannel> openDatagramChannel(DatagramOpener opener) {
		return adopt(() -> this.passed.adoptDatagramChannel());
	}

	private <S extends Closeable> ListenerSocket<S> adopt(Adoption<S> adoption) {
		PassedSocket.Adopted<S> adopted;
		try {
			adopted = adoption.adopt();
		}
		catch (IOException | RuntimeException ex) {
			throw new UdsStartupException("Listener '" + this.listenerName + "' could not adopt "
					+ this.passed.describe() + ", passed by systemd: " + ex,
					"Check the listener's socket unit (ListenStream= or ListenDatagram=), or set "
							+ this.propertyPrefix + "activation=off to bind the socket itself.",
					ex);
		}
		logAdoption();
		this.fileAtAdoption = fileKey();
		return ListenerSocket.shared(adopted.socket(), adopted);
	}

	/** The identity of the socket's file now: its device and inode. */
	private @Nullable Object fileKey() {
		Path path = this.passed.path();
		if (path == null) {
			return null;
		}
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

	private synchronized void logAdoption() {
		if (this.toldUnused) {
			logger.debug("Listener '" + this.listenerName + "' adopts " + this.passed.describe() + " again");
			return;
		}
		this.toldUnused = true;
		String unused = this.unusedFileProperties.isEmpty() ? ""
				: "; " + String.join(", ", this.unusedFileProperties.stream().map(this.propertyPrefix::concat).toList())
						+ " do not apply to it: systemd made the socket file (SocketMode=, SocketUser=, SocketGroup=, "
						+ "DirectoryMode=)";
		logger.info("Listener '" + this.listenerName + "' adopts " + this.passed.describe() + ", passed by systemd"
				+ unused);
	}

	@Override
	public @Nullable BoundSocketFile<?> socketFile() {
		return null;
	}

	/**
	 * Compares the file at the socket's path with the one there when the socket was adopted:
	 * systemd's file, which this process never changes.
	 */
	@Override
	public @Nullable String socketFileProblem() {
		Path path = this.passed.path();
		if (path == null) {
			return null;
		}
		Object now = fileKey();
		if (now == null) {
			return "the socket file " + path + " (systemd's) was deleted";
		}
		return now.equals(this.fileAtAdoption) ? null
				: "the socket file " + path + " (systemd's) was replaced by another file";
	}

	@Override
	public String toString() {
		return this.passed.describe();
	}

	@FunctionalInterface
	private interface Adoption<S extends Closeable> {

		PassedSocket.Adopted<S> adopt() throws IOException;

	}

}
