package dev.udsboot.sample;

import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.socket.PeerCredentials;

/**
 * The {@code whoami} listener: answers with the caller's credentials as the kernel reports them.
 */
@Component
public class WhoamiHandlers {

	/**
	 * Answers any line with {@code {"pid":P,"uid":U,"gid":G,"gids":[...]}} of the caller.
	 * @param peer the caller's credentials
	 * @return the credentials, written as JSON
	 */
	@UdsHandler("whoami")
	public PeerCredentials whoami(PeerCredentials peer) {
		return peer;
	}

}
