package dev.udsboot.socket;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A socket a service manager passed to this process (systemd's socket activation): its
 * descriptor, the name it was given, what kind of socket it is and where it is bound.
 * <p>
 * The passed descriptor itself is never used or closed: each {@code adopt…} call works on a
 * duplicate of its own, so a listener that stops and starts again adopts it again, and
 * connections that arrive in between wait in the socket's queue. The passed descriptor stays
 * open until the process exits, as the service manager's own copy does.
 */
public final class PassedSocket {

	/** The passed descriptors as {@link FileDescriptor}s, made once per process. */
	private static final Map<Integer, FileDescriptor> DESCRIPTORS = new ConcurrentHashMap<>();

	private final int descriptor;

	private final String name;

	private final SocketKind kind;

	private final @Nullable String boundAt;

	PassedSocket(int descriptor, String name, SocketKind kind, @Nullable String boundAt) {
		this.descriptor = descriptor;
		this.name = name;
		this.kind = kind;
		this.boundAt = boundAt;
	}

	/**
	 * Returns the descriptor's number.
	 * @return 3 for the first passed socket
	 */
	public int descriptor() {
		return this.descriptor;
	}

	/**
	 * Returns the name the service manager gave it ({@code FileDescriptorName=}, or the socket
	 * unit's name by default).
	 * @return the name; {@code unknown} if none was passed
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns what kind of socket it is.
	 * @return the kind
	 */
	public SocketKind kind() {
		return this.kind;
	}

	/**
	 * Tells whether this socket is bound at an address.
	 * @param address a listener's address
	 * @return {@code true} if it is bound at that path (the same file, however spelt) or abstract
	 * name
	 */
	public boolean isBoundAt(UdsAddress address) {
		if (this.boundAt == null || !this.kind.isUnix()) {
			return false;
		}
		Path path = address.path();
		if (path == null) {
			return this.boundAt.equals("@" + address.abstractName());
		}
		Path bound = path();
		if (bound == null) {
			return false;
		}
		if (bound.equals(path.toAbsolutePath().normalize())) {
			return true;
		}
		try {
			return Files.exists(bound) && Files.exists(path) && Files.isSameFile(bound, path);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Returns the path of its socket file.
	 * @return the path, or {@code null} for an abstract name, an unbound socket or one that is not
	 * AF_UNIX
	 */
	public @Nullable Path path() {
		return (this.kind.isUnix() && this.boundAt != null && !this.boundAt.startsWith("@")) ? Path.of(this.boundAt)
				: null;
	}

	/**
	 * Returns where it is bound, as the kernel reports it.
	 * @return a path, {@code @name} for an abstract name, {@code host:port} for TCP, or
	 * {@code null} if unknown or unbound
	 */
	public @Nullable String boundAt() {
		return this.boundAt;
	}

	/**
	 * Adopts it as a listening stream socket: a duplicate descriptor, which never deletes the
	 * socket file.
	 * @return the socket, and how to release it
	 * @throws IOException if it cannot be duplicated or is not a listening AF_UNIX stream socket
	 */
	public Adopted<AFUNIXServerSocket> adoptServerSocket() throws IOException {
		FileDescriptorCast duplicate = FileDescriptorCast.duplicating(original());
		try {
			AFUNIXServerSocket socket = duplicate.as(AFUNIXServerSocket.class);
			// junixsocket deletes the bound file on close by default: the file is systemd's
			socket.setDeleteOnClose(false);
			return new Adopted<>(socket, duplicate.getFileDescriptor());
		}
		catch (IOException | RuntimeException ex) {
			ReceivedDescriptors.close(List.of(duplicate.getFileDescriptor()));
			throw ex;
		}
	}

	/**
	 * Adopts it as a datagram socket: a duplicate descriptor, which never deletes the socket file.
	 * @return the channel, and how to release it
	 * @throws IOException if it cannot be duplicated or is not an AF_UNIX datagram socket
	 */
	public Adopted<AFUNIXDatagramChannel> adoptDatagramChannel() throws IOException {
		FileDescriptorCast duplicate = FileDescriptorCast.duplicating(original());
		try {
			AFUNIXDatagramChannel channel = duplicate.as(AFUNIXDatagramChannel.class);
			channel.setDeleteOnClose(false);
			// systemd makes its sockets non-blocking, and a cast keeps that: a receive would return
			// at once with nothing
			channel.configureBlocking(true);
			return new Adopted<>(channel, duplicate.getFileDescriptor());
		}
		catch (IOException | RuntimeException ex) {
			ReceivedDescriptors.close(List.of(duplicate.getFileDescriptor()));
			throw ex;
		}
	}

	private FileDescriptor original() throws IOException {
		FileDescriptor known = DESCRIPTORS.get(this.descriptor);
		if (known != null) {
			return known;
		}
		// a bare FileDescriptor: no cleaner closes the passed descriptor when it is collected
		FileDescriptor made = FileDescriptorCast.unsafeUsing(this.descriptor).getFileDescriptor();
		FileDescriptor raced = DESCRIPTORS.putIfAbsent(this.descriptor, made);
		return (raced != null) ? raced : made;
	}

	/**
	 * Describes it for log lines and failure reports.
	 * @return e.g. {@code descriptor 3 (named 'echo', a listening AF_UNIX stream socket at /run/app/echo.sock)}
	 */
	public String describe() {
		return "descriptor " + this.descriptor + " (named '" + this.name + "', " + this.kind.description()
				+ ((this.boundAt != null) ? " at " + this.boundAt : "") + ")";
	}

	@Override
	public String toString() {
		return describe();
	}

	/**
	 * A passed socket adopted on a duplicate descriptor.
	 *
	 * @param <S> the socket type
	 * @param socket the socket
	 * @param duplicate its descriptor
	 */
	public record Adopted<S extends Closeable>(S socket, FileDescriptor duplicate) implements Closeable {

		/**
		 * Closes the duplicate descriptor and nothing else. junixsocket's {@code close()} shuts
		 * the socket down before closing its descriptor ({@code shutdown(SHUT_RDWR)}), and a
		 * listening socket shut down stops listening for every process that holds it, systemd
		 * included; so the descriptor is closed first, through the JDK, which leaves junixsocket
		 * nothing to shut down when its object is closed after it.
		 */
		@Override
		public void close() {
			ReceivedDescriptors.close(List.of(this.duplicate));
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// its descriptor is closed already: nothing is left open
			}
		}

	}

}
