package dev.udsboot.socket;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.socket.SocketFileException.Problem;

/**
 * Binds a socket to a filesystem path under the rules junixsocket's own bind does not keep: a live
 * socket or anything that is not a socket is never replaced, a stale socket is, two binders racing
 * for one path cannot both win, and the socket is never reachable through the path with wider
 * permissions than asked for.
 * <p>
 * How: the socket is bound in a fresh private directory (mode {@code rwx------}) beside the
 * target, given its mode and group there, and only then hard-linked to the public path. {@code
 * link()} is atomic and fails if the path exists, so the first binder wins. A stale socket in the
 * way is checked and removed under a {@link SocketPathLock} shared by every binder on the machine:
 * moved into the private directory, checked to be the very inode that was found stale, and only
 * then deleted; anything else moved by mistake is put back. {@link BoundSocketFile#close()}
 * removes the public name the same way, so it only ever deletes the inode it bound.
 * <p>
 * The private path is {@value #PRIVATE_OVERHEAD_BYTES} bytes longer than the public path's
 * directory, which must leave room for it within the kernel's 107-byte limit.
 * <p>
 * Long because binding, replacing a stale socket and undoing each step on failure are one
 * sequence: kept in one class, its order can be read top to bottom against
 * {@code docs/socket-files.md}.
 */
public final class SocketFileBinder {

	/** Prefix of the private directories, beside the socket file. */
	static final String PRIVATE_DIRECTORY_PREFIX = ".uds-";

	/** Name of the socket inside a private directory. */
	static final String PRIVATE_SOCKET_NAME = "s";

	private static final int RANDOM_CHARS = 6;

	/** Bytes the private path adds to the parent directory: "/.uds-XXXXXX/s". */
	static final int PRIVATE_OVERHEAD_BYTES = 1 + 5 + RANDOM_CHARS + 2;

	/** A private directory left by a killed process is cleaned up once it is this old. */
	private static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

	/** How long to wait for another binder checking the same path (a probe may take 2 s). */
	static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

	private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private static final Log logger = LogFactory.getLog(SocketFileBinder.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Runnable beforeModeApplied;

	private final JunixsocketWorkarounds workarounds;

	/**
	 * Creates a binder.
	 */
	public SocketFileBinder() {
		this(() -> {
		});
	}

	/**
	 * Creates a binder that runs a task between binding a socket and applying its mode, for tests
	 * of what can reach it in that moment.
	 * @param beforeModeApplied the task
	 */
	SocketFileBinder(Runnable beforeModeApplied) {
		this(beforeModeApplied, JunixsocketWorkarounds.current());
	}

	/**
	 * Creates a binder that sees a given junixsocket, for tests of one that lacks a workaround.
	 * @param beforeModeApplied run between binding a socket and applying its mode
	 * @param workarounds what junixsocket lets the binder do
	 */
	SocketFileBinder(Runnable beforeModeApplied, JunixsocketWorkarounds workarounds) {
		this.beforeModeApplied = beforeModeApplied;
		this.workarounds = workarounds;
	}

	/**
	 * Binds a socket at a path.
	 * @param <S> the type of socket the binder creates
	 * @param path the public path clients connect to
	 * @param options mode, group and directory creation
	 * @param binder binds (and for stream sockets listens) a new socket on the private address it
	 * is given
	 * @return the bound file, which owns the socket and removes both names when closed
	 * @throws SocketFileException if the path is taken, is not a socket, or cannot be bound
	 */
	public <S extends Closeable> BoundSocketFile<S> bind(Path path, SocketFileOptions options,
			PrivateSocketBinder<S> binder) {
		return bind(path, options, binder, false);
	}

	/**
	 * Binds a datagram socket directly at a path: the kernel gives a datagram's receiver the
	 * sender's bound name, and clients that check where a reply came from (socat does) must see the
	 * public path, not a private one. The same rules hold, with the path's {@link SocketPathLock}
	 * held from the check to the bind: a live socket or anything that is not a socket is refused, a
	 * stale socket replaced.
	 * <p>
	 * junixsocket's bind makes the new file {@code rw-rw-rw-}, and its mode and group can only be
	 * applied after it exists. Until they are, the channel is connected to a private guard socket:
	 * the kernel then refuses every other sender ({@code EPERM}), so nobody the mode would have
	 * kept out can send, or connect and keep sending, in that moment. One gap remains, documented
	 * in the README: when a file appears after the check (not from a binder holding the lock),
	 * junixsocket's bind removes it if it cannot connect to it, rather than failing. A junixsocket
	 * that cannot dissolve the guard's connection fails the bind (see {@link JunixsocketWorkarounds}).
	 * @param path the public path
	 * @param options mode, group and directory creation
	 * @param opener opens the channel, not yet bound
	 * @return the bound file, which owns the channel and removes the path when closed
	 * @throws SocketFileException if the path is taken, is not a socket, or cannot be bound
	 * @throws dev.udsboot.UdsStartupException if junixsocket cannot guard the bind and the
	 * application did not accept that ({@link JunixsocketWorkarounds#ACCEPT_PROPERTY})
	 */
	public BoundSocketFile<AFUNIXDatagramChannel> bindInPlace(Path path, SocketFileOptions options,
			DatagramOpener opener) {
		try (GuardedDatagramBinder binder = new GuardedDatagramBinder(opener, this.workarounds)) {
			return bind(path, options, binder, true);
		}
	}

	private <S extends Closeable> BoundSocketFile<S> bind(Path path, SocketFileOptions options,
			PrivateSocketBinder<S> binder, boolean inPlace) {
		Path target = path.toAbsolutePath().normalize();
		Path parent = Objects.requireNonNull(target.getParent(), "a socket path needs a parent directory");
		try {
			ensureParent(parent, options);
			if (!inPlace) {
				checkPrivatePathLength(parent, target);
			}
			cleanAbandonedPrivateDirectories(parent);
			// in place, it holds only what is moved aside while a stale socket is removed, and goes
			// once the socket is bound: an empty one would look abandoned to other binders
			Path privateDirectory = createPrivateDirectory(parent);
			Path socketFile = inPlace ? target : privateDirectory.resolve(PRIVATE_SOCKET_NAME);
			S socket = null;
			SocketFiles.FileIdentity fileKey = null;
			try {
				if (inPlace) {
					try (SocketPathLock lock = SocketPathLock.acquire(target, LOCK_TIMEOUT)) {
						removeStaleLocked(target, privateDirectory);
						socket = binder.bind(AFUNIXSocketAddress.of(target));
						fileKey = Objects.requireNonNull(SocketFiles.fileKeyOf(target));
						this.beforeModeApplied.run();
						applyModeAndGroup(target, options);
						binder.modeApplied(socket);
					}
					deletePrivateDirectory(privateDirectory);
					return new BoundSocketFile<>(target, null, fileKey, socket);
				}
				else {
					socket = binder.bind(AFUNIXSocketAddress.of(socketFile));
					fileKey = Objects.requireNonNull(SocketFiles.fileKeyOf(socketFile));
					applyModeAndGroup(socketFile, options);
					binder.modeApplied(socket);
					publish(socketFile, target, privateDirectory);
				}
				return new BoundSocketFile<>(target, privateDirectory, fileKey, socket);
			}
			catch (IOException | RuntimeException ex) {
				closeQuietly(socket);
				if (inPlace && fileKey != null) {
					// bound but not set up: the file is ours, and must not stay behind
					try (SocketPathLock lock = SocketPathLock.acquire(target, LOCK_TIMEOUT)) {
						removeIfSame(target, fileKey, privateDirectory);
					}
				}
				deletePrivateDirectory(privateDirectory);
				throw ex;
			}
		}
		catch (IOException ex) {
			throw new SocketFileException(Problem.OTHER, target, null, "Cannot bind socket file " + target + ": " + ex,
					ex);
		}
	}

	private void ensureParent(Path parent, SocketFileOptions options) throws IOException {
		if (Files.isDirectory(parent)) {
			return;
		}
		if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
			String kind = SocketFiles.kindOf(parent).describe();
			throw new SocketFileException(Problem.NOT_A_DIRECTORY, parent, kind,
					"Cannot bind a socket in " + parent + ": it is " + kind + ", not a directory", null);
		}
		if (!options.createDirectories()) {
			throw new SocketFileException(Problem.NO_DIRECTORY, parent, null, "Cannot bind a socket in " + parent
					+ ": the directory does not exist (set create-directories to create it)", null);
		}
		try {
			createDirectories(parent, options.directoryMode());
		}
		catch (AccessDeniedException ex) {
			Path denied = Path.of(Objects.requireNonNullElse(ex.getFile(), parent.toString()));
			Path existing = (denied.getParent() != null) ? denied.getParent() : denied;
			throw new SocketFileException(Problem.NOT_WRITABLE, existing, null,
					"Cannot create the directory " + denied + ": permission denied", ex);
		}
	}

	private void createDirectories(Path directory, Set<PosixFilePermission> mode) throws IOException {
		Path parent = directory.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			createDirectories(parent, mode);
		}
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(mode));
			// the umask may have narrowed the mode at creation: set it exactly
			Files.setPosixFilePermissions(directory, mode);
		}
		catch (FileAlreadyExistsException ex) {
			if (!Files.isDirectory(directory)) {
				throw ex;
			}
		}
	}

	private void checkPrivatePathLength(Path parent, Path target) {
		int bytes = parent.toString().getBytes(StandardCharsets.UTF_8).length + PRIVATE_OVERHEAD_BYTES;
		if (bytes > UdsAddress.MAX_ADDRESS_BYTES) {
			throw new SocketFileException(Problem.PATH_TOO_LONG, target, bytes + " bytes",
					"Cannot bind socket file " + target + ": its directory is too long (" + bytes
							+ " bytes with the private name the socket is bound under first, over the kernel's "
							+ UdsAddress.MAX_ADDRESS_BYTES + "); use a shorter directory or an abstract name",
					null);
		}
	}

	static Path createPrivateDirectory(Path parent) throws IOException {
		while (true) {
			StringBuilder name = new StringBuilder(PRIVATE_DIRECTORY_PREFIX);
			for (int i = 0; i < RANDOM_CHARS; i++) {
				name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
			}
			Path directory = parent.resolve(name.toString());
			try {
				Files.createDirectory(directory, PosixFilePermissions
					.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
				return directory;
			}
			catch (FileAlreadyExistsException ex) {
				// another name
			}
			catch (AccessDeniedException ex) {
				// name the directory the user configured, not the private one they never heard of
				throw new SocketFileException(Problem.NOT_WRITABLE, parent, null,
						"Cannot bind a socket in " + parent + ": permission denied", ex);
			}
		}
	}

	private void applyModeAndGroup(Path socketFile, SocketFileOptions options) throws IOException {
		PosixFileAttributeView view = Files.getFileAttributeView(socketFile, PosixFileAttributeView.class,
				LinkOption.NOFOLLOW_LINKS);
		if (options.fileGroup() != null) {
			GroupPrincipal group = socketFile.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByGroupName(options.fileGroup());
			view.setGroup(group);
		}
		// chmod(2), not the no-follow variant: the JDK implements that one by opening the file,
		// which a socket refuses (ENXIO). The path is in our private directory: no link can be there.
		Files.setPosixFilePermissions(socketFile, options.fileMode());
	}

	private void publish(Path privateSocket, Path target, Path privateDirectory) throws IOException {
		while (true) {
			try {
				Files.createLink(target, privateSocket);
				return;
			}
			catch (FileAlreadyExistsException ex) {
				removeStale(target, privateDirectory);
			}
		}
	}

	private void removeStale(Path target, Path privateDirectory) throws IOException {
		// under the path's lock: what is checked here is not replaced by another binder before it
		// is moved aside
		try (SocketPathLock lock = SocketPathLock.acquire(target, LOCK_TIMEOUT)) {
			removeStaleLocked(target, privateDirectory);
		}
	}

	/** Removes a stale socket at the path, or refuses; the caller holds the path's lock. */
	private void removeStaleLocked(Path target, Path privateDirectory) throws IOException {
		SocketFiles.Kind kind = SocketFiles.kindOf(target);
		if (kind == SocketFiles.Kind.MISSING) {
			return;
		}
		if (kind != SocketFiles.Kind.SOCKET) {
			throw new SocketFileException(Problem.NOT_A_SOCKET, target, kind.describe(), "Refusing to bind " + target
					+ ": it is " + kind.describe() + ", not a socket, and will not be deleted", null);
		}
		SocketFiles.FileIdentity staleKey = SocketFiles.fileKeyOf(target);
		if (SocketFiles.isLive(target)) {
			if (BoundSocketFile.isBoundHere(target)) {
				throw new SocketFileException(Problem.BOUND_IN_THIS_PROCESS, target, null, "Refusing to bind " + target
						+ ": another listener or the management socket of this process is bound to it", null);
			}
			throw new SocketFileException(Problem.LIVE_SOCKET, target, null,
					"Refusing to bind " + target + ": another process is accepting connections on it", null);
		}
		if (staleKey != null && !removeIfSame(target, staleKey, privateDirectory)) {
			throw new SocketFileException(Problem.RACE, target, null, "Refusing to bind " + target
					+ ": it was replaced while being checked (another instance started at the same time)", null);
		}
		logger.info("Replaced stale socket file " + target);
	}

	/**
	 * Removes {@code path} only if it is still the file {@code expectedKey}: it is first moved
	 * into the private directory (an atomic rename), so what is checked is what is deleted. Anything
	 * else is left in place, or put back if it replaced the inode between the check and the move.
	 * Callers hold the path's {@link SocketPathLock}.
	 * @return {@code true} if the path was ours and is gone, or was already gone
	 */
	static boolean removeIfSame(Path path, SocketFiles.FileIdentity expectedKey, Path privateDirectory) throws IOException {
		SocketFiles.FileIdentity current = SocketFiles.fileKeyOf(path);
		if (current == null) {
			return true;
		}
		if (!expectedKey.equals(current)) {
			return false;
		}
		Path moved = privateDirectory.resolve("moved");
		try {
			Files.move(path, moved, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		catch (java.nio.file.NoSuchFileException ex) {
			return true;
		}
		if (expectedKey.equals(SocketFiles.fileKeyOf(moved))) {
			Files.delete(moved);
			return true;
		}
		try {
			if (SocketFiles.kindOf(moved) == SocketFiles.Kind.DIRECTORY) {
				// a directory cannot be hard-linked back
				Files.move(moved, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			}
			else {
				Files.createLink(path, moved);
				Files.delete(moved);
			}
		}
		catch (IOException ex) {
			logger.error("Moved " + path + " aside while checking it, and could not put it back: it is now at "
					+ moved, ex);
		}
		return false;
	}

	/**
	 * Removes private directories left behind by processes that were killed: old enough, holding
	 * only a socket nobody listens on. Directories of other users are not readable and are skipped.
	 */
	private void cleanAbandonedPrivateDirectories(Path parent) {
		Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
		try (DirectoryStream<Path> candidates = Files.newDirectoryStream(parent, PRIVATE_DIRECTORY_PREFIX + "*")) {
			for (Path candidate : candidates) {
				if (isAbandoned(candidate, cutoff)) {
					deletePrivateDirectory(candidate);
					logger.debug("Removed abandoned private socket directory " + candidate);
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not look for abandoned private socket directories in " + parent, ex);
		}
	}

	private boolean isAbandoned(Path candidate, Instant cutoff) {
		try {
			FileTime modified = Files.getLastModifiedTime(candidate, LinkOption.NOFOLLOW_LINKS);
			if (SocketFiles.kindOf(candidate) != SocketFiles.Kind.DIRECTORY
					|| modified.toInstant().isAfter(cutoff)) {
				return false;
			}
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(candidate)) {
				for (Path entry : entries) {
					if (!entry.getFileName().toString().equals(PRIVATE_SOCKET_NAME)
							|| SocketFiles.kindOf(entry) != SocketFiles.Kind.SOCKET || SocketFiles.isLive(entry)) {
						return false;
					}
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static void deletePrivateDirectory(Path privateDirectory) {
		try {
			Files.deleteIfExists(privateDirectory.resolve(PRIVATE_SOCKET_NAME));
			Files.deleteIfExists(privateDirectory);
		}
		catch (IOException ex) {
			logger.warn("Could not remove private socket directory " + privateDirectory + ": " + ex);
		}
	}

	private static void closeQuietly(@Nullable Closeable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close " + closeable, ex);
			}
		}
	}

	/**
	 * Binds a new socket to a private address, the first step of {@link SocketFileBinder#bind}.
	 *
	 * @param <S> the socket type
	 */
	@FunctionalInterface
	public interface PrivateSocketBinder<S extends Closeable> {

		/**
		 * Creates a socket and binds it to the address; must not delete or replace anything.
		 * @param address a path in a fresh private directory
		 * @return the bound socket
		 * @throws IOException if binding fails
		 */
		S bind(AFUNIXSocketAddress address) throws IOException;

		/**
		 * Called once the socket file has its mode and group, before anyone else can reach it.
		 * @param socket the socket {@link #bind} returned
		 * @throws IOException if the socket cannot be made ready
		 */
		default void modeApplied(S socket) throws IOException {
		}

	}

	/**
	 * Opens a datagram channel for {@link SocketFileBinder#bindInPlace}.
	 */
	@FunctionalInterface
	public interface DatagramOpener {

		/**
		 * Opens a channel and sets its options; it must not be bound yet.
		 * @return the channel
		 * @throws IOException if it cannot be opened
		 */
		AFUNIXDatagramChannel open() throws IOException;

	}

}
