package dev.udsboot.framing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The framings whose frames end with a terminator byte ({@code line}, {@code crlf}, {@code null},
 * {@code stx-etx}): their only parser, and their writer. The formats are spring-integration-ip's
 * ({@code ByteArrayLfSerializer}, {@code ByteArrayCrLfSerializer},
 * {@code ByteArraySingleTerminatorSerializer}, {@code ByteArrayStxEtxSerializer}), limit included:
 * a frame is refused as soon as the listener's limit plus {@link FrameCodec#SLACK} of its bytes
 * are stored (start marker and terminator not counted), so both consume the same bytes with the
 * same outcome; a test checks this against the serializers on random streams.
 * <p>
 * Written rather than reusing those serializers because they read a frame a byte at a time through
 * {@code InputStream.read()}, a call and a limit check per byte: this finds the terminator with one
 * scan of the bytes already buffered and takes the frame with one copy, several times less work per
 * message, and the gap grows with the message's size. A frame longer than what one read brought is
 * gathered across reads in a buffer kept for the connection, created only when a frame needs it.
 * Not thread-safe: one instance per reader (and one, stateless, for writing).
 */
final class TerminatedFrames {

	/** Starts an {@code stx-etx} frame. */
	static final byte STX = 0x02;

	/** Ends an {@code stx-etx} frame. */
	static final byte ETX = 0x03;

	private final Framing framing;

	/** How many bytes of a frame (without start marker and terminator) are stored before it is refused. */
	private final int limit;

	/** The byte that ends a frame; for {@code crlf} the LF, which ends one only after a CR. */
	private final byte terminator;

	private final boolean afterCarriageReturn;

	private final String name;

	/** Where a frame longer than one read is gathered; grown as needed, up to {@link #limit}. */
	private byte @Nullable [] spill;

	TerminatedFrames(Framing framing, int maxMessageSize, String name) {
		this.framing = framing;
		this.limit = maxMessageSize + FrameCodec.SLACK;
		this.terminator = switch (framing) {
			case LINE, CRLF -> '\n';
			case NULL -> 0;
			case STX_ETX -> ETX;
			default -> throw new IllegalArgumentException(framing + " has no terminator");
		};
		this.afterCarriageReturn = framing == Framing.CRLF;
		this.name = name;
	}

	/**
	 * Tells whether a framing is one of these.
	 * @param framing the framing
	 * @return {@code true} for the framings with a terminator
	 */
	static boolean handles(Framing framing) {
		return switch (framing) {
			case LINE, CRLF, NULL, STX_ETX -> true;
			case LENGTH_PREFIX, EOF, NONE -> false;
		};
	}

	/**
	 * Returns the byte that ends a frame.
	 * @return the terminator (for {@code crlf}, the LF)
	 */
	byte terminator() {
		return this.terminator;
	}

	/**
	 * Writes one frame; the caller flushes.
	 * @param payload the payload, checked not to contain the terminator
	 * @param output the connection's buffered stream
	 * @throws IOException if writing fails
	 */
	void write(byte[] payload, OutputStream output) throws IOException {
		if (this.framing == Framing.STX_ETX) {
			output.write(STX);
		}
		output.write(payload);
		if (this.afterCarriageReturn) {
			output.write('\r');
		}
		output.write(this.terminator);
	}

	/**
	 * Reads one frame; at least one byte is buffered.
	 * @param in the connection's stream
	 * @return the bytes before the terminator (for {@code crlf}, before its CR), up to the limit
	 * plus the slack: the caller applies the listener's limit
	 * @throws FrameRejectedException if the frame is over the slack, malformed, or cut short
	 * @throws IOException if the source fails
	 */
	byte[] read(FrameInputStream in) throws IOException {
		if (this.framing == Framing.STX_ETX && in.read() != STX) {
			throw new FrameRejectedException(FrameRejectedException.Reason.MALFORMED,
					"not a valid " + this.name + " frame: Expected STX to begin message", null);
		}
		int stored = 0;
		while (true) {
			if (!in.awaitData()) {
				throw new FrameRejectedException(FrameRejectedException.Reason.TRUNCATED,
						"connection closed in the middle of a " + this.name + " frame", null);
			}
			int room = this.limit - stored;
			int end = indexOfTerminator(in, stored);
			if (end >= 0 && end < room) {
				if (stored == 0) {
					// the usual case: the whole frame is buffered
					return in.takeBuffered(0, this.afterCarriageReturn ? end - 1 : end, end + 1);
				}
				spill(in, stored, end);
				in.skipBuffered(1);
				int length = stored + end;
				return Arrays.copyOf(spillBuffer(), this.afterCarriageReturn ? length - 1 : length);
			}
			int buffered = in.available();
			if (buffered >= room) {
				// as the serializers do: refused once the buffer is full, before the terminator is read
				in.skipBuffered(room);
				throw FrameReader.tooLarge(this.name, this.limit - FrameCodec.SLACK, null);
			}
			spill(in, stored, buffered);
			stored += buffered;
		}
	}

	/** Moves buffered bytes to the spill buffer, after the frame's bytes stored there. */
	private void spill(FrameInputStream in, int stored, int count) throws IOException {
		byte[] target = this.spill;
		if (target == null || target.length < stored + count) {
			int size = Math.min(this.limit, Math.max(stored + count, (target != null) ? 2 * target.length : 1024));
			target = (target != null) ? Arrays.copyOf(target, size) : new byte[size];
			this.spill = target;
		}
		// only buffered bytes: a copy, no read from the source
		in.read(target, stored, count);
	}

	private byte[] spillBuffer() {
		byte[] target = this.spill;
		if (target == null) {
			throw new IllegalStateException("no frame was gathered");
		}
		return target;
	}

	/**
	 * Finds the terminator among the buffered bytes.
	 * @param stored the bytes of this frame already in the spill buffer
	 * @return its index counted from the read position, or -1
	 */
	private int indexOfTerminator(FrameInputStream in, int stored) {
		int end = in.indexOfBuffered(this.terminator, 0);
		if (!this.afterCarriageReturn) {
			return end;
		}
		// the first LF after a CR; a lone LF belongs to the payload
		while (end >= 0 && previous(in, stored, end) != '\r') {
			end = in.indexOfBuffered(this.terminator, end + 1);
		}
		return end;
	}

	private int previous(FrameInputStream in, int stored, int index) {
		if (index > 0) {
			return in.bufferedByte(index - 1);
		}
		byte[] spilled = this.spill;
		return (stored > 0 && spilled != null) ? spilled[stored - 1] : -1;
	}

}
