package dev.udsboot.framing;

/**
 * How messages are delimited on a stream connection. Replies use the same framing.
 */
public enum Framing {

	/** Terminated by LF; a CR before the LF is stripped. */
	LINE,

	/** Terminated by CR LF. */
	CRLF,

	/** A 4-byte big-endian unsigned length, then that many bytes. */
	LENGTH_PREFIX,

	/** Terminated by a NUL byte. */
	NULL,

	/** 0x02, the payload, 0x03. */
	STX_ETX,

	/** Everything until the client shuts down its write side. */
	EOF,

	/** Each chunk returned by one read is one message (what simple C servers do). */
	NONE

}
