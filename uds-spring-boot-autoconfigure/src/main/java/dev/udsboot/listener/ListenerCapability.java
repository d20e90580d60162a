package dev.udsboot.listener;

/**
 * What a listener's socket gives besides messages. Handlers and settings that need one are
 * checked against the listener at startup ({@link UdsListenerDefinition#has}), so a kind of socket
 * without it (a datagram socket today; a TCP port or an inherited socket later) fails startup with
 * a clear report instead of taking a branch in the read loops.
 */
public enum ListenerCapability {

	/** Connections: a {@link UdsSession}, and connection-opened and -closed handlers. */
	CONNECTIONS,

	/** The kernel's record of who is at the other end ({@code PeerCredentials}, allow-lists). */
	PEER_CREDENTIALS,

	/** File descriptors passed with messages (SCM_RIGHTS), both ways. */
	FILE_DESCRIPTORS

}
