package dev.udsboot.invocation;

/**
 * Names of the message headers the starter sets on every received message; a handler can read
 * them with {@code @Header}.
 */
public final class UdsHeaders {

	/** The listener name (a {@code String}). */
	public static final String LISTENER = "uds_listener";

	/** The connection's id (a {@code Long}). */
	public static final String CONNECTION_ID = "uds_connectionId";

	/** The {@link dev.udsboot.listener.UdsSession} the message arrived on. */
	public static final String SESSION = "uds_session";

	/** The file descriptors that arrived with the message (a {@code List<FileDescriptor>}). */
	public static final String FILE_DESCRIPTORS = "uds_fileDescriptors";

	/** The listener's charset for {@code String} payloads (a {@link java.nio.charset.Charset}). */
	public static final String CHARSET = "uds_charset";

	private UdsHeaders() {
	}

}
