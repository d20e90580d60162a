package dev.udsboot.framing;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link FrameReader} when the bytes on a connection cannot be a valid frame. The
 * connection cannot be resynchronised after it and is closed.
 */
public class FrameRejectedException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why a frame was rejected.
	 */
	public enum Reason {

		/** The payload is longer than the listener's max-message-size. */
		TOO_LARGE,

		/** The bytes do not follow the framing (e.g. no STX, a negative length). */
		MALFORMED,

		/** The client closed the connection in the middle of a frame. */
		TRUNCATED,

		/** The message carried more file descriptors than the listener's max-file-descriptors. */
		TOO_MANY_DESCRIPTORS

	}

	private final Reason reason;

	/**
	 * Creates an exception.
	 * @param reason why the frame was rejected
	 * @param message details for the log
	 * @param cause the serializer's exception, if any
	 */
	public FrameRejectedException(Reason reason, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	/**
	 * Returns why the frame was rejected.
	 * @return the reason
	 */
	public Reason reason() {
		return this.reason;
	}

}
