package dev.udsboot.socket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.ConnectionRefusedSocketException;
import org.newsclub.net.unix.OperationNotSupportedSocketException;

/**
 * Facts about a path that the socket-file rules depend on: what kind of file it is, which inode it
 * is, and whether a process accepts connections on it.
 */
public final class SocketFiles {

	private static final int S_IFMT = 0170000;

	private static final int S_IFSOCK = 0140000;

	private static final int PROBE_TIMEOUT_MILLIS = 2000;

	private SocketFiles() {
	}

	/**
	 * What a path holds, looked at without following symbolic links.
	 */
	public enum Kind {

		/** Nothing is there. */
		MISSING,
		/** A socket file. */
		SOCKET,
		/** A directory. */
		DIRECTORY,
		/** A regular file. */
		REGULAR_FILE,
		/** A symbolic link. */
		SYMBOLIC_LINK,
		/** Something else (a FIFO or a device). */
		OTHER;

		/**
		 * Describes the kind for error messages.
		 * @return e.g. "a regular file"
		 */
		public String describe() {
			return switch (this) {
				case MISSING -> "nothing";
				case SOCKET -> "a socket";
				case DIRECTORY -> "a directory";
				case REGULAR_FILE -> "a regular file";
				case SYMBOLIC_LINK -> "a symbolic link";
				case OTHER -> "a special file";
			};
		}

	}

	/**
	 * Tells what a path holds, without following a symbolic link.
	 * @param path the path
	 * @return its kind
	 * @throws IOException if it cannot be examined
	 */
	public static Kind kindOf(Path path) throws IOException {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return Kind.MISSING;
		}
		if (attributes.isDirectory()) {
			return Kind.DIRECTORY;
		}
		if (attributes.isRegularFile()) {
			return Kind.REGULAR_FILE;
		}
		if (attributes.isSymbolicLink()) {
			return Kind.SYMBOLIC_LINK;
		}
		int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		return ((mode & S_IFMT) == S_IFSOCK) ? Kind.SOCKET : Kind.OTHER;
	}

	/**
	 * Returns the identity of a path, without following a symbolic link: its device and inode, and
	 * its modification time. The inode alone is not enough: a file system such as ext4 gives a
	 * deleted file's inode number to the next file created, so a file put where ours was deleted
	 * may carry our number. Its modification time, set when it was created, tells them apart; a
	 * socket's never changes after that (it has no content; {@code link}, {@code rename} and
	 * {@code chmod} change its ctime, not its mtime), unless someone sets it on purpose, and then
	 * the file counts as someone else's and is left alone.
	 * @param path the path
	 * @return its identity, or {@code null} if nothing is there
	 * @throws IOException if it cannot be examined
	 */
	public static @Nullable FileIdentity fileKeyOf(Path path) throws IOException {
		try {
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			return new FileIdentity(Objects.requireNonNull(attributes.fileKey(), "file keys are supported on Linux"),
					attributes.lastModifiedTime());
		}
		catch (NoSuchFileException ex) {
			return null;
		}
	}

	/**
	 * What tells one file from another over time: see {@link SocketFiles#fileKeyOf}.
	 *
	 * @param fileKey the device and inode
	 * @param modified the modification time, in the file system's resolution
	 */
	public record FileIdentity(Object fileKey, FileTime modified) {
	}

	/**
	 * Tells whether a process serves a socket file, by connecting to it: a stream socket someone
	 * listens on, or a datagram socket someone has bound (a stream connect to that is refused, so a
	 * datagram connect is tried next). A stream connection that neither succeeds nor is refused
	 * within two seconds (a full backlog) counts as live.
	 * @param path the socket file
	 * @return {@code true} if someone serves it, {@code false} if the socket is stale
	 * @throws IOException if the probe fails for another reason (such as permission denied)
	 */
	public static boolean isLive(Path path) throws IOException {
		AFUNIXSocketAddress address = AFUNIXSocketAddress.of(path);
		try (AFUNIXSocket probe = AFUNIXSocket.newInstance()) {
			probe.connect(address, PROBE_TIMEOUT_MILLIS);
			return true;
		}
		catch (ConnectionRefusedSocketException | OperationNotSupportedSocketException ex) {
			// not listening (stale, or a datagram socket), or of another type (a datagram socket)
		}
		catch (SocketTimeoutException ex) {
			return true;
		}
		try (AFUNIXDatagramSocket probe = AFUNIXDatagramSocket.newInstance()) {
			probe.connect(address);
			return true;
		}
		catch (ConnectionRefusedSocketException | OperationNotSupportedSocketException ex) {
			// refused: nobody has it; wrong type: a stream socket that is not listening
			return false;
		}
	}

}
