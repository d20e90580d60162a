package dev.udsboot.socket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Reads a connected peer's {@link PeerCredentials}: pid, uid and gid from the kernel
 * ({@code SO_PEERCRED}, through junixsocket), and the supplementary groups from
 * {@code /proc/<pid>/status}.
 * <p>
 * Why {@code /proc}: the kernel keeps the supplementary groups of a connection
 * ({@code SO_PEERGROUPS}), but junixsocket only returns the primary gid and cannot read that
 * option, and the JDK's {@code SO_PEERCRED} has no pid. The status file is only trusted when its
 * effective uid and gid are the ones the kernel recorded for the connection; otherwise
 * (the peer has exited, its pid was reused, or it changed identity) the groups are the primary gid
 * alone. They are the peer's groups when it is asked, which may differ from those at connect time
 * if the peer changed them since.
 */
public final class PeerCredentialsReader {

	private static final Path PROC = Path.of("/proc");

	private PeerCredentialsReader() {
	}

	/**
	 * Reads the credentials of a connected socket's peer.
	 * @param socket a connected socket
	 * @return the peer's credentials
	 * @throws IOException if the kernel's credentials cannot be read
	 */
	public static PeerCredentials read(AFUNIXSocket socket) throws IOException {
		AFUNIXSocketCredentials kernel = socket.getPeerCredentials();
		long pid = kernel.getPid();
		long uid = kernel.getUid();
		long gid = kernel.getGid();
		return new PeerCredentials(pid, uid, gid, groups(pid, uid, gid));
	}

	static List<Long> groups(long pid, long uid, long gid) {
		List<Long> groups = new ArrayList<>();
		groups.add(gid);
		if (pid <= 0) {
			return groups;
		}
		List<String> status;
		try {
			// Latin-1: the Name line holds the process name cut at 15 bytes, possibly mid-character
			status = Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"),
					StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			// the peer has exited (no such file) or its status is not readable
			return groups;
		}
		if (!matches(status, "Uid:", uid) || !matches(status, "Gid:", gid)) {
			return groups;
		}
		for (String line : status) {
			if (line.startsWith("Groups:")) {
				for (String group : line.substring("Groups:".length()).trim().split("\\s+")) {
					if (!group.isEmpty()) {
						long value = Long.parseLong(group);
						if (!groups.contains(value)) {
							groups.add(value);
						}
					}
				}
			}
		}
		return groups;
	}

	/** The effective id (the second field: real, effective, saved, filesystem) must be the kernel's. */
	private static boolean matches(List<String> status, String key, long expected) {
		for (String line : status) {
			if (line.startsWith(key)) {
				String[] ids = line.substring(key.length()).trim().split("\\s+");
				return ids.length >= 2 && Long.parseLong(ids[1]) == expected;
			}
		}
		return false;
	}

}
