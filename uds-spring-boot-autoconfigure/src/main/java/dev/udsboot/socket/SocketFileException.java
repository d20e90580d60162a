package dev.udsboot.socket;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsException;
import dev.udsboot.UdsStartupException;

/**
 * Thrown when a socket file cannot be bound or is in a state the starter refuses to touch (a live
 * socket of another process, a regular file, a directory, a missing parent directory). It names
 * the {@link Problem} and the path, so that whoever configured the path can turn it into a startup
 * failure report naming its property ({@link #toStartupFailure(String, String, Path)}). It is not a
 * startup failure itself: a client binds sockets too, and a listener or the management socket
 * converts it where it binds, so a failed startup always reports a {@link UdsStartupException}.
 */
public class SocketFileException extends UdsException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a socket file could not be bound.
	 */
	public enum Problem {

		/** Another process accepts connections on the path. */
		LIVE_SOCKET,
		/** Another listener or management socket of this process is bound to the path. */
		BOUND_IN_THIS_PROCESS,
		/** Something that is not a socket is at the path. */
		NOT_A_SOCKET,
		/** The socket's directory does not exist and is not to be created. */
		NO_DIRECTORY,
		/** The socket's "directory" exists but is not a directory. */
		NOT_A_DIRECTORY,
		/** The process may not create files in the socket's directory (or create the directory). */
		NOT_WRITABLE,
		/** The directory leaves no room for the private name within the kernel's address limit. */
		PATH_TOO_LONG,
		/** The path changed while it was being checked: another instance started at the same time. */
		RACE,
		/** Anything else. */
		OTHER

	}

	private final Problem problem;

	private final @Nullable Path path;

	private final @Nullable String detail;

	/**
	 * Creates an exception.
	 * @param problem why the path was refused
	 * @param path the path the problem is about (the socket file, or its directory for the
	 * directory problems)
	 * @param detail what was found, for {@link Problem#NOT_A_SOCKET} and
	 * {@link Problem#NOT_A_DIRECTORY} (e.g. "a regular file"), or the address length for
	 * {@link Problem#PATH_TOO_LONG}
	 * @param message what was found at the path and why it was refused
	 * @param cause the underlying failure, if any
	 */
	public SocketFileException(Problem problem, @Nullable Path path, @Nullable String detail, String message,
			@Nullable Throwable cause) {
		super(message, cause);
		this.problem = problem;
		this.path = path;
		this.detail = detail;
	}

	/**
	 * Returns why the path was refused.
	 * @return the problem
	 */
	public Problem getProblem() {
		return this.problem;
	}

	/**
	 * Returns the path the problem is about: the socket file, or its directory for
	 * {@link Problem#NO_DIRECTORY}, {@link Problem#NOT_A_DIRECTORY} and {@link Problem#NOT_WRITABLE}.
	 * @return the path, or {@code null} if unknown
	 */
	public @Nullable Path getPath() {
		return this.path;
	}

	/**
	 * Describes this failure for a startup failure report, with the properties that configure the
	 * socket and what to do.
	 * @param owner who wanted the socket, e.g. {@code "Listener 'echo'"}
	 * @param propertyPrefix the prefix of the properties configuring it, e.g.
	 * {@code "uds.listeners.echo."}
	 * @param socketPath the configured path
	 * @return the exception to throw, with this one as its cause
	 */
	public UdsStartupException toStartupFailure(String owner, String propertyPrefix, Path socketPath) {
		String pathProperty = propertyPrefix + "path";
		String where = owner + " could not bind its socket " + socketPath + " (" + pathProperty + "): ";
		Path about = (this.path != null) ? this.path : socketPath;
		String otherPath = "or set " + pathProperty + " to another path.";
		return switch (this.problem) {
			case LIVE_SOCKET -> new UdsStartupException(where + "another process is accepting connections on it.",
					"Stop the other process (`ss -xlp | grep " + socketPath + "` names it), " + otherPath, this);
			case BOUND_IN_THIS_PROCESS -> new UdsStartupException(
					where + "another listener or the management socket of this application is bound to it.",
					"Give each listener and the management socket (uds.management.path) a path of its own.", this);
			case NOT_A_SOCKET -> new UdsStartupException(where + "it is " + this.detail + ", not a socket.",
					"Remove " + about + " if nothing needs it (the starter never deletes what is not a socket), "
							+ otherPath,
					this);
			case NO_DIRECTORY -> new UdsStartupException(where + "the directory " + about + " does not exist.",
					"Create the directory (for a systemd service: RuntimeDirectory=), set " + propertyPrefix
							+ "create-directories=true to have the application create it, " + otherPath,
					this);
			case NOT_A_DIRECTORY -> new UdsStartupException(
					where + about + " is " + this.detail + ", not a directory.",
					"Set " + pathProperty + " to a path in a directory.", this);
			case NOT_WRITABLE -> new UdsStartupException(
					where + "this process (user " + System.getProperty("user.name") + ") may not create files in "
							+ about + describeDirectory(about) + ".",
					"Run the application as a user who may write to " + about
							+ ", give this user write access to it (its owner or group), " + otherPath,
					this);
			case PATH_TOO_LONG -> new UdsStartupException(where + "its directory is too long: the socket is bound "
					+ "under a private name there first, a path of " + this.detail + ", over the kernel's limit of "
					+ UdsAddress.MAX_ADDRESS_BYTES + ".",
					"Use a shorter directory in " + pathProperty + ", or set " + propertyPrefix
							+ "abstract-name instead (a Linux abstract socket has no file).",
					this);
			case RACE -> new UdsStartupException(
					where + "the file changed while it was being checked: another instance started at the same time.",
					"Make sure only one instance of the application serves " + socketPath + ".", this);
			case OTHER -> new UdsStartupException(where + getMessage(), "Check " + about + " and its directory, "
					+ otherPath, this);
		};
	}

	private static String describeDirectory(Path directory) {
		try {
			PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class);
			return " (owned by " + attributes.owner().getName() + ":" + attributes.group().getName() + ", mode "
					+ PosixFilePermissions.toString(attributes.permissions()) + ")";
		}
		catch (Exception ex) {
			return "";
		}
	}

}
