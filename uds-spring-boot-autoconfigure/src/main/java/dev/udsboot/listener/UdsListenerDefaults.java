package dev.udsboot.listener;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import dev.udsboot.framing.Framing;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.UdsAddress;

/**
 * The default of each setting of a listener: the one place they are written for the runtime. A
 * {@link UdsListenerDefinition} built by hand starts from {@link #definition(String, UdsAddress)};
 * the {@code uds.listeners.*} properties spell the same values as field initialisers (which the
 * configuration metadata is written from), and a test holds the two equal. The socket file's
 * defaults are {@link SocketFileOptions#defaults()}.
 */
public final class UdsListenerDefaults {

	/** A stream socket. */
	public static final UdsListenerType TYPE = UdsListenerType.STREAM;

	/** Line framing (LF-terminated). */
	public static final Framing FRAMING = Framing.LINE;

	/** Largest message accepted, inclusive, in bytes: {@value}. */
	public static final int MAX_MESSAGE_SIZE = 64 * 1024;

	/** Listen backlog: {@value} (the kernel caps it at {@code net.core.somaxconn}). */
	public static final int BACKLOG = 128;

	/** Open connections of a stream listener at most: {@value} (a thread and a descriptor each). */
	public static final int MAX_CONNECTIONS = 1024;

	/** Zero: idle connections are never closed. */
	public static final Duration IDLE_TIMEOUT = Duration.ZERO;

	/** Descriptors accepted with one message: {@value}. */
	public static final int MAX_FILE_DESCRIPTORS = 16;

	/** UTF-8. */
	public static final Charset CHARSET = StandardCharsets.UTF_8;

	/** One receiving thread, so datagrams are handled in arrival order. */
	public static final int CONCURRENCY = 1;

	/** The address a TCP listener listens on: the loopback address, reachable from this machine only. */
	public static final String TCP_HOST = "127.0.0.1";

	/** A socket passed by systemd is adopted if there is one; otherwise the listener binds its own. */
	public static final UdsListenerActivation ACTIVATION = UdsListenerActivation.AUTO;

	private UdsListenerDefaults() {
	}

	/**
	 * Returns a definition with every setting at its default: no allow-lists, and the socket file
	 * options of {@link SocketFileOptions#defaults()}.
	 * @param name the listener's name
	 * @param address its socket path or abstract name
	 * @return the definition
	 */
	public static UdsListenerDefinition definition(String name, ListenerAddress address) {
		return new UdsListenerDefinition(name, TYPE, address, FRAMING, MAX_MESSAGE_SIZE, SocketFileOptions.defaults(),
				BACKLOG, MAX_CONNECTIONS, IDLE_TIMEOUT, Set.of(), Set.of(), MAX_FILE_DESCRIPTORS, CHARSET,
				CONCURRENCY, ACTIVATION, null, false);
	}

}
