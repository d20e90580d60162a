package dev.udsboot.test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import dev.udsboot.framing.Framing;

/**
 * Frames encoded by hand from the documented wire formats, independently of the code under test.
 */
public final class WireFrames {

	private WireFrames() {
	}

	/**
	 * Encodes one frame.
	 * @param framing the wire format
	 * @param payload the payload
	 * @return the bytes on the wire
	 */
	public static byte[] frame(Framing framing, byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		switch (framing) {
			case LINE -> {
				out.writeBytes(payload);
				out.write('\n');
			}
			case CRLF -> {
				out.writeBytes(payload);
				out.write('\r');
				out.write('\n');
			}
			case LENGTH_PREFIX -> {
				out.writeBytes(ByteBuffer.allocate(4).putInt(payload.length).array());
				out.writeBytes(payload);
			}
			case NULL -> {
				out.writeBytes(payload);
				out.write(0);
			}
			case STX_ETX -> {
				out.write(2);
				out.writeBytes(payload);
				out.write(3);
			}
			case EOF, NONE -> out.writeBytes(payload);
		}
		return out.toByteArray();
	}

	/**
	 * Returns a payload of letters only: never a delimiter of any framing.
	 * @param size the length
	 * @return the payload
	 */
	public static byte[] payload(int size) {
		byte[] payload = new byte[size];
		for (int i = 0; i < size; i++) {
			payload[i] = (byte) ('a' + (i % 26));
		}
		return payload;
	}

	/**
	 * Encodes text as ASCII.
	 * @param text the text
	 * @return its bytes
	 */
	public static byte[] ascii(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
	}

	/**
	 * Joins two byte arrays.
	 * @param first the first part
	 * @param second the second part
	 * @return both, in order
	 */
	public static byte[] concat(byte[] first, byte[] second) {
		byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
