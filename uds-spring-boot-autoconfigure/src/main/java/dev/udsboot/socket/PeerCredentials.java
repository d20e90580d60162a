package dev.udsboot.socket;

import java.util.List;

/**
 * Who is at the other end of a connection, as the kernel recorded it when the peer connected:
 * process id, user id, primary group id and all group ids (primary first, then supplementary).
 * Never taken from the message. A handler declares a parameter of this type to receive it.
 *
 * @param pid the peer's process id at connect time
 * @param uid the peer's effective user id
 * @param gid the peer's effective primary group id
 * @param gids the primary group followed by the supplementary groups
 */
public record PeerCredentials(long pid, long uid, long gid, List<Long> gids) {

	/**
	 * Creates credentials; {@code gids} is copied.
	 * @param pid the peer's process id
	 * @param uid the peer's user id
	 * @param gid the peer's primary group id
	 * @param gids the primary group followed by the supplementary groups
	 */
	public PeerCredentials {
		gids = List.copyOf(gids);
	}

	/**
	 * Tells whether the peer belongs to a group, primary or supplementary.
	 * @param group a group id
	 * @return {@code true} if it is one of {@link #gids()}
	 */
	public boolean isInGroup(long group) {
		return this.gid == group || this.gids.contains(group);
	}

}
