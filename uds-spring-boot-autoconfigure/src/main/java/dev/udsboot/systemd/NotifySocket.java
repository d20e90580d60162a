package dev.udsboot.systemd;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The address in {@code NOTIFY_SOCKET}, as systemd writes it: an absolute path of a datagram
 * socket, or {@code @name} for a name in Linux's abstract namespace. Other forms that newer
 * systemd versions use ({@code vsock:}) cannot be reached with junixsocket's AF_UNIX sockets and
 * are refused here, with the reason.
 */
public final class NotifySocket {

	/** The most bytes of a {@code sun_path}, without the terminating NUL a path needs. */
	private static final int MAX_ADDRESS_BYTES = 107;

	private final String value;

	private NotifySocket(String value) {
		this.value = value;
	}

	/**
	 * Reads the value of {@code NOTIFY_SOCKET}.
	 * @param value the variable's value
	 * @return the address
	 * @throws IllegalArgumentException saying why the value is no address this process can reach
	 */
	public static NotifySocket parse(String value) {
		if (value.length() < 2 || !(value.startsWith("/") || value.startsWith("@"))) {
			throw new IllegalArgumentException(
					"it is neither an absolute path nor an @abstract-name (only AF_UNIX sockets are supported)");
		}
		if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ADDRESS_BYTES) {
			throw new IllegalArgumentException("it is longer than " + MAX_ADDRESS_BYTES + " bytes");
		}
		return new NotifySocket(value);
	}

	/**
	 * Tells whether the address is an abstract name.
	 * @return {@code true} for {@code @name}
	 */
	public boolean isAbstract() {
		return this.value.startsWith("@");
	}

	/**
	 * Returns the address for junixsocket.
	 * @return the socket address
	 * @throws SocketException if junixsocket refuses it
	 */
	public AFUNIXSocketAddress toSocketAddress() throws SocketException {
		// the exact name: systemd binds "@name" without padding, so a padded name would miss it
		return isAbstract() ? AFUNIXSocketAddress.inAbstractNamespace(this.value.substring(1))
				: AFUNIXSocketAddress.of(Path.of(this.value));
	}

	/**
	 * Returns the address as {@code NOTIFY_SOCKET} spells it.
	 * @return e.g. {@code /run/systemd/notify} or {@code @notify}
	 */
	@Override
	public String toString() {
		return this.value;
	}

}
