package dev.udsboot.socket;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The sockets a service manager passed to this process, read the way {@code sd_listen_fds(3)}
 * reads them: {@code LISTEN_PID} must be this process's pid, {@code LISTEN_FDS} says how many
 * descriptors from 3 on are passed, {@code LISTEN_FDNAMES} names them ({@code :}-separated).
 * <p>
 * What each descriptor is comes from {@code /proc}: {@code /proc/self/fd/N} gives its socket
 * inode, and {@code /proc/self/net/unix} the type, whether it listens, and its address (the JDK
 * and junixsocket tell neither whether a socket listens nor, for a cast that fails, what it is).
 * A socket of another network namespace is not listed there ({@code PrivateNetwork=yes}); junixsocket
 * is asked about it instead.
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
		return askTheSocket(descriptor, name);
	}

	/**
	 * Asks junixsocket what a socket is that this network namespace's tables do not list: one
	 * systemd made in the host's namespace for a service with {@code PrivateNetwork=yes}. It
	 * works on a duplicate, closed again through the JDK (see {@link PassedSocket.Adopted}).
	 */
	private static PassedSocket askTheSocket(int descriptor, String name) {
		FileDescriptorCast duplicate;
		try {
			duplicate = FileDescriptorCast.duplicating(FileDescriptorCast.unsafeUsing(descriptor).getFileDescriptor());
		}
		catch (IOException | RuntimeException ex) {
			return new PassedSocket(descriptor, name, SocketKind.OTHER_SOCKET, null);
		}
		try {
			if (duplicate.isAvailable(AFUNIXDatagramChannel.class)) {
				AFUNIXDatagramChannel channel = duplicate.as(AFUNIXDatagramChannel.class);
				channel.setDeleteOnClose(false);
				return new PassedSocket(descriptor, name, SocketKind.UNIX_DATAGRAM, address(channel.getLocalAddress()));
			}
			if (duplicate.isAvailable(AFUNIXSocket.class)) {
				AFUNIXSocket socket = duplicate.as(AFUNIXSocket.class);
				// a listening socket has no peer
				SocketKind kind = (socket.getRemoteSocketAddress() != null) ? SocketKind.UNIX_STREAM_CONNECTED
						: SocketKind.UNIX_STREAM_LISTENING;
				return new PassedSocket(descriptor, name, kind, address(socket.getLocalSocketAddress()));
			}
			return new PassedSocket(descriptor, name, SocketKind.OTHER_SOCKET, null);
		}
		catch (IOException | RuntimeException ex) {
			return new PassedSocket(descriptor, name, SocketKind.OTHER_SOCKET, null);
		}
		finally {
			ReceivedDescriptors.close(List.of(duplicate.getFileDescriptor()));
		}
	}

	/** The address as {@code /proc/net/unix} shows it: a path, or {@code @name}. */
	private static @Nullable String address(@Nullable SocketAddress address) {
		if (!(address instanceof AFUNIXSocketAddress unix)) {
			return null;
		}
		if (unix.isInAbstractNamespace()) {
			byte[] bytes = unix.getPathAsBytes();
			return "@" + new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
		}
		return unix.getPath();
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

	/**
	 * Decodes an address of {@code /proc/net/tcp} ({@code 0100007F:1F90}: 32-bit words in the
	 * machine's byte order, then the port) to {@code 127.0.0.1:8080}; IPv6 as {@code [::1]:8080}.
	 */
	private static String inetAddress(String hex) {
		int colon = hex.indexOf(':');
		int port = Integer.parseInt(hex.substring(colon + 1), 16);
		String words = hex.substring(0, colon);
		ByteBuffer bytes = ByteBuffer.allocate(words.length() / 2).order(ByteOrder.nativeOrder());
		for (int i = 0; i + 8 <= words.length(); i += 8) {
			bytes.putInt((int) Long.parseLong(words.substring(i, i + 8), 16));
		}
		try {
			InetAddress address = InetAddress.getByAddress(bytes.array());
			String host = address.getHostAddress();
			return ((address instanceof Inet6Address) ? "[" + host + "]" : host) + ":" + port;
		}
		catch (UnknownHostException ex) {
			return hex;
		}
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
