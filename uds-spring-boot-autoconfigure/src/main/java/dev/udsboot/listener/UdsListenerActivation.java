package dev.udsboot.listener;

/**
 * Whether a listener adopts a socket passed by systemd (socket activation: {@code LISTEN_FDS})
 * whose name is the listener's name or whose address is the listener's address.
 */
public enum UdsListenerActivation {

	/** Adopt a matching passed socket if there is one; bind the socket itself otherwise. */
	AUTO,

	/** Adopt a matching passed socket; fail startup if there is none. */
	REQUIRED,

	/** Never adopt a passed socket: always bind the socket itself. */
	OFF

}
