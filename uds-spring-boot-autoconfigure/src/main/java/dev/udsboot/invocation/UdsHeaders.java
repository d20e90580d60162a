package dev.udsboot.invocation;

/**
 * Names of the message headers the starter sets on every received message; a handler can read
 * them with {@code @Header}.
 */
public final class UdsHeaders {

	/** The listener name (a {@code String}). */
	public static final String LISTENER = "uds_listener";

	/** The connection's id (a {@code Long}); stream listeners only. */
	public static final String CONNECTION_ID = "uds_connectionId";

	/**
	 * Where the message came from, a {@link dev.udsboot.listener.UdsPeer}: the
	 * {@link dev.udsboot.listener.UdsSession} on a stream listener.
	 */
	public static final String PEER = "uds_peer";

	/** The file descriptors that arrived with the message (a {@code List<FileDescriptor>}). */
	public static final String FILE_DESCRIPTORS = "uds_fileDescriptors";

	/** The listener's charset for {@code String} payloads (a {@link java.nio.charset.Charset}). */
	public static final String CHARSET = "uds_charset";

	private UdsHeaders() {
	}

}
