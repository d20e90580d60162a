package dev.udsboot.socket;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Where a Unix domain socket lives: a filesystem path or a name in Linux's abstract namespace.
 * Immutable; {@link #toString()} gives the path, or {@code @name} for an abstract name.
 */
public final class UdsAddress implements ListenerAddress {

	/** The kernel's limit on a socket address: 108 bytes of {@code sun_path} less one. */
	public static final int MAX_ADDRESS_BYTES = 107;

	private final @Nullable Path path;

	private final @Nullable String abstractName;

	private UdsAddress(@Nullable Path path, @Nullable String abstractName) {
		this.path = path;
		this.abstractName = abstractName;
	}

	/**
	 * Returns the address of a filesystem socket.
	 * @param path the socket file's path
	 * @return the address
	 * @throws IllegalArgumentException if the path is longer than {@value #MAX_ADDRESS_BYTES} bytes
	 */
	public static UdsAddress ofPath(Path path) {
		checkLength(path.toString());
		return new UdsAddress(path, null);
	}

	/**
	 * Returns the address of a socket in the abstract namespace.
	 * @param name the name, without the leading NUL byte
	 * @return the address
	 * @throws IllegalArgumentException if the name is empty or longer than the kernel allows
	 */
	public static UdsAddress ofAbstractName(String name) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("An abstract socket name must not be empty");
		}
		checkLength("\0" + name);
		return new UdsAddress(null, name);
	}

	private static void checkLength(String address) {
		int bytes = address.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_ADDRESS_BYTES) {
			throw new IllegalArgumentException("is " + bytes + " bytes long; the kernel's limit for a socket address is "
					+ MAX_ADDRESS_BYTES + " bytes");
		}
	}

	/**
	 * Returns the socket file's path.
	 * @return the path, or {@code null} for an abstract address
	 */
	public @Nullable Path path() {
		return this.path;
	}

	/**
	 * Returns the abstract name.
	 * @return the name, or {@code null} for a filesystem address
	 */
	public @Nullable String abstractName() {
		return this.abstractName;
	}

	/**
	 * Tells whether this address is in the abstract namespace (no socket file).
	 * @return {@code true} for an abstract name
	 */
	public boolean isAbstract() {
		return this.abstractName != null;
	}

	/**
	 * Converts this address to junixsocket's form.
	 * @return the socket address
	 * @throws SocketException if junixsocket rejects it
	 */
	public AFUNIXSocketAddress toSocketAddress() throws SocketException {
		if (this.abstractName != null) {
			return AFUNIXSocketAddress.inAbstractNamespace(this.abstractName);
		}
		return AFUNIXSocketAddress.of(requirePath());
	}

	private Path requirePath() {
		if (this.path == null) {
			throw new IllegalStateException("not a filesystem address: " + this);
		}
		return this.path;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof UdsAddress that && java.util.Objects.equals(this.path, that.path)
				&& java.util.Objects.equals(this.abstractName, that.abstractName);
	}

	@Override
	public int hashCode() {
		return java.util.Objects.hash(this.path, this.abstractName);
	}

	@Override
	public String toString() {
		return (this.abstractName != null) ? "@" + this.abstractName : String.valueOf(this.path);
	}

}
