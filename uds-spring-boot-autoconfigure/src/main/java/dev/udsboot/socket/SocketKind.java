package dev.udsboot.socket;

/**
 * What kind of socket a passed descriptor is, as far as a listener cares.
 */
public enum SocketKind {

	/** An AF_UNIX stream socket that listens: what a stream listener adopts. */
	UNIX_STREAM_LISTENING("a listening AF_UNIX stream socket"),

	/** An AF_UNIX stream socket connected to a peer (what {@code Accept=yes} passes). */
	UNIX_STREAM_CONNECTED("a connected AF_UNIX stream socket"),

	/** An AF_UNIX stream socket that neither listens nor is connected. */
	UNIX_STREAM_IDLE("an AF_UNIX stream socket that does not listen"),

	/** An AF_UNIX datagram socket: what a datagram listener adopts. */
	UNIX_DATAGRAM("an AF_UNIX datagram socket"),

	/** An AF_UNIX sequenced-packet socket. */
	UNIX_SEQPACKET("an AF_UNIX seqpacket socket"),

	/** A TCP socket (IPv4 or IPv6). */
	TCP("a TCP socket"),

	/** A UDP socket (IPv4 or IPv6). */
	UDP("a UDP socket"),

	/** A socket of another family (netlink, vsock, …). */
	OTHER_SOCKET("a socket that is not AF_UNIX, TCP or UDP"),

	/** A descriptor that is not a socket (a file, a pipe, …). */
	NOT_A_SOCKET("not a socket"),

	/** A descriptor that is not open. */
	CLOSED("not an open descriptor");

	private final String description;

	SocketKind(String description) {
		this.description = description;
	}

	/**
	 * Describes the kind for log lines.
	 * @return e.g. {@code a listening AF_UNIX stream socket}
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Tells whether it is an AF_UNIX socket.
	 * @return {@code true} for the {@code UNIX_…} kinds
	 */
	public boolean isUnix() {
		return name().startsWith("UNIX_");
	}

}
