package dev.udsboot.listener;

/**
 * The socket type of a listener: a Unix domain socket's, or TCP.
 */
public enum UdsListenerType {

	/** {@code SOCK_STREAM}: connections carrying framed messages. */
	STREAM,

	/** {@code SOCK_DGRAM}: one datagram is one message. */
	DATAGRAM,

	/**
	 * A TCP port: connections carrying framed messages, as {@link #STREAM}, without the peer's
	 * credentials or descriptors.
	 */
	TCP

}
