package dev.udsboot.listener;

/**
 * The socket type of a listener.
 */
public enum UdsListenerType {

	/** {@code SOCK_STREAM}: connections carrying framed messages. */
	STREAM,

	/** {@code SOCK_DGRAM}: one datagram is one message. */
	DATAGRAM

}
