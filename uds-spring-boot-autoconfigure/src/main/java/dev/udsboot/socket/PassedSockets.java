package dev.udsboot.socket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The sockets a service manager passed to this process, read the way {@code sd_listen_fds(3)}
 * reads them: {@code LISTEN_PID} must be this process's pid, {@code LISTEN_FDS} says how many
 * descriptors from 3 on are passed, {@code LISTEN_FDNAMES} names them ({@code :}-separated).
 * <p>
 * What each descriptor is comes from {@code /proc}: {@code /proc/self/fd/N} gives its socket
 * inode, and {@code /proc/self/net/unix} the type, whether it listens, and its address (the JDK
 * and junixsocket tell neither whether a socket listens nor, for a cast that fails, what it is).
 */
public final class PassedSockets {

	/** The first passed descriptor ({@code SD_LISTEN_FDS_START}). */
	public static final int FIRST_DESCRIPTOR = 3;

	/** The name {@code sd_listen_fds_with_names(3)} gives a descriptor passed without one. */
	public static final String UNKNOWN_NAME = "unknown";

	private static final Path PROC_NET = Path.of("/proc/self/net");

	private static final int LISTENING_FLAG = 0x10000;

	private static final int SS_CONNECTED = 3;

	private final List<PassedSocket> sockets;

	private final String origin;

	private PassedSockets(List<PassedSocket> sockets, String origin) {
		this.sockets = Collections.unmodifiableList(sockets);
		this.origin = origin;
	}

	/**
	 * Reads the passed sockets from the environment.
	 * @param environment looks up an environment variable, {@code null} if unset
	 * @return the passed sockets; none if this process was not started with any
	 */
	public static PassedSockets from(UnaryOperator<@Nullable String> environment) {
		String pid = environment.apply("LISTEN_PID");
		String fds = environment.apply("LISTEN_FDS");
		if (pid == null || fds == null) {
			return new PassedSockets(List.of(), "this process was not socket-activated (LISTEN_PID and LISTEN_FDS "
					+ "are not set)");
		}
		long self = ProcessHandle.current().pid();
		if (!pid.strip().equals(Long.toString(self))) {
			return new PassedSockets(List.of(), "LISTEN_PID is " + pid + ", not this process (" + self
					+ "): the sockets were passed to another process");
		}
		int count;
		try {
			count = Integer.parseInt(fds.strip());
		}
		catch (NumberFormatException ex) {
			count = -1;
		}
		if (count <= 0) {
			return new PassedSockets(List.of(), "LISTEN_FDS is '" + fds + "': no socket was passed");
		}
		String names = environment.apply("LISTEN_FDNAMES");
		String[] given = (names != null) ? names.split(":", -1) : new String[0];
		List<PassedSocket> sockets = new ArrayList<>(count);
		ProcNetUnix unix = ProcNetUnix.read();
		for (int i = 0; i < count; i++) {
			String name = (i < given.length && !given[i].isEmpty()) ? given[i] : UNKNOWN_NAME;
			sockets.add(inspect(FIRST_DESCRIPTOR + i, name, unix));
		}
		return new PassedSockets(sockets, "LISTEN_FDS=" + count
				+ ((names != null) ? ", LISTEN_FDNAMES=" + names : ", no LISTEN_FDNAMES"));
	}

	/**
	 * Reads the sockets passed to this process.
	 * @return the passed sockets; none if this process was not started with any
	 */
	public static PassedSockets fromProcess() {
		return from(System::getenv);
	}

	/**
	 * Returns no passed socket.
	 * @return none
	 */
	public static PassedSockets none() {
		return new PassedSockets(List.of(), "socket activation is not used");
	}

	/**
	 * Returns the passed sockets.
	 * @return them, in descriptor order
	 */
	public List<PassedSocket> sockets() {
		return this.sockets;
	}

	/**
	 * Tells whether none was passed.
	 * @return {@code true} if none was passed
	 */
	public boolean isEmpty() {
		return this.sockets.isEmpty();
	}

	/**
	 * Says what the environment passed, for failure reports.
	 * @return e.g. {@code LISTEN_FDS=2, LISTEN_FDNAMES=echo:events}, or why none was passed
	 */
	public String origin() {
		return this.origin;
	}

	private static PassedSocket inspect(int descriptor, String name, ProcNetUnix unix) {
		String target;
		try {
			target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + descriptor)).toString();
		}
		catch (NoSuchFileException ex) {
			return new PassedSocket(descriptor, name, SocketKind.CLOSED, null);
		}
		catch (IOException ex) {
			return new PassedSocket(descriptor, name, SocketKind.NOT_A_SOCKET, null);
		}
		if (!target.startsWith("socket:[")) {
			return new PassedSocket(descriptor, name, SocketKind.NOT_A_SOCKET, target);
		}
		String inode = target.substring("socket:[".length(), target.length() - 1);
		String[] line = unix.find(inode);
		if (line != null) {
			return new PassedSocket(descriptor, name, unixKind(line), (line.length > 7) ? line[7] : null);
		}
		for (String table : List.of("tcp", "tcp6")) {
			String[] entry = findInet(table, inode);
			if (entry != null) {
				return new PassedSocket(descriptor, name, SocketKind.TCP, inetAddress(entry[1]));
			}
		}
		for (String table : List.of("udp", "udp6")) {
			String[] entry = findInet(table, inode);
			if (entry != null) {
				return new PassedSocket(descriptor, name, SocketKind.UDP, inetAddress(entry[1]));
			}
		}
		return new PassedSocket(descriptor, name, SocketKind.OTHER_SOCKET, null);
	}

	private static SocketKind unixKind(String[] line) {
		int flags = Integer.parseInt(line[3], 16);
		int type = Integer.parseInt(line[4], 16);
		int state = Integer.parseInt(line[5], 16);
		return switch (type) {
			case 1 -> ((flags & LISTENING_FLAG) != 0) ? SocketKind.UNIX_STREAM_LISTENING
					: (state == SS_CONNECTED) ? SocketKind.UNIX_STREAM_CONNECTED : SocketKind.UNIX_STREAM_IDLE;
			case 2 -> SocketKind.UNIX_DATAGRAM;
			case 5 -> SocketKind.UNIX_SEQPACKET;
			default -> SocketKind.OTHER_SOCKET;
		};
	}

	private static String @Nullable [] findInet(String table, String inode) {
		try {
			for (String line : Files.readAllLines(PROC_NET.resolve(table))) {
				String[] fields = line.strip().split("\\s+");
				// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
				if (fields.length > 9 && fields[9].equals(inode)) {
					return fields;
				}
			}
		}
		catch (IOException ex) {
			// no such table (IPv6 disabled): not found there
		}
		return null;
	}

	/** Decodes {@code 0100007F:1F90} (IPv4, little-endian) to {@code 127.0.0.1:8080}. */
	private static String inetAddress(String hex) {
		int colon = hex.indexOf(':');
		int port = Integer.parseInt(hex.substring(colon + 1), 16);
		String host = hex.substring(0, colon);
		if (host.length() != 8) {
			return "[" + host.toLowerCase(Locale.ROOT) + "]:" + port;
		}
		long ip = Long.parseLong(host, 16);
		return (ip & 0xff) + "." + ((ip >> 8) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 24) & 0xff) + ":"
				+ port;
	}

	/** The AF_UNIX sockets of this network namespace, as {@code /proc/self/net/unix} lists them. */
	private record ProcNetUnix(List<String> lines) {

		static ProcNetUnix read() {
			try {
				return new ProcNetUnix(Files.readAllLines(PROC_NET.resolve("unix")));
			}
			catch (IOException ex) {
				return new ProcNetUnix(List.of());
			}
		}

		/** Num RefCount Protocol Flags Type St Inode [Path]; a path may hold spaces. */
		String @Nullable [] find(String inode) {
			for (String line : this.lines) {
				String[] fields = line.strip().split("\\s+", 8);
				if (fields.length >= 7 && fields[6].equals(inode)) {
					return fields;
				}
			}
			return null;
		}

	}

}
