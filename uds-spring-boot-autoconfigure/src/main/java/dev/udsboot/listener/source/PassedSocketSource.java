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
import dev.udsboot.socket.PassedSocket;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;

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

	private final List<String> unusedProperties;

	private final String propertyPrefix;

	private boolean toldUnused;

	private volatile @Nullable Object fileAtAdoption;

	/**
	 * Creates a source.
	 * @param listenerName the listener's name, for log lines and failure messages
	 * @param propertyPrefix the prefix of the listener's properties, e.g. {@code uds.listeners.echo.}
	 * @param passed the socket systemd passed for the listener, of the listener's kind
	 * @param unusedProperties the listener's socket settings a user set, which do not apply to a
	 * socket systemd made (e.g. {@code file-mode}), to be named in the log line of its adoption
	 */
	public PassedSocketSource(String listenerName, String propertyPrefix, PassedSocket passed,
			List<String> unusedProperties) {
		this.listenerName = listenerName;
		this.propertyPrefix = propertyPrefix;
		this.passed = passed;
		this.unusedProperties = List.copyOf(unusedProperties);
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
		String unused = this.unusedProperties.isEmpty() ? ""
				: "; " + String.join(", ", this.unusedProperties.stream().map(this.propertyPrefix::concat).toList())
						+ " do not apply to it: systemd made the socket (SocketMode=, SocketUser=, SocketGroup=, "
						+ "DirectoryMode=, Backlog=)";
		logger.info("Listener '" + this.listenerName + "' adopts " + this.passed.describe() + ", passed by systemd"
				+ unused);
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
