package dev.udsboot.framing;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLengthHeaderSerializer;

/**
 * One listener's framing: reads frames from connections and writes replies. Each framing has one
 * parser and one writer: {@link TerminatedFrames} for {@code line}, {@code crlf}, {@code null} and
 * {@code stx-etx} (spring-integration-ip's formats, parsed here for speed, see there),
 * spring-integration-ip's serializers for {@code length-prefix} and {@code eof}, and
 * {@link ChunkDeserializer} for {@code none}. Thread-safe; one instance serves every connection of
 * a listener, and each connection's reader has parser state of its own, so connections share no
 * lock.
 * <p>
 * The serializers disagree on their limit (the terminator ones accept {@code max - 1} payload
 * bytes, CRLF {@code max - 2}, the raw and length-header ones {@code max}), so every parser is given
 * a little slack and {@link FrameReader} applies the listener's inclusive limit itself. The slack
 * lets a whole frame one byte over the limit be read, CR LF included, so rejecting it leaves
 * nothing unread and the client sees a clean end of stream, not a reset. A reader's working buffer
 * is created at the first frame that needs one and kept for the connection (see
 * {@link OwnBufferSerializers}): a connection whose frames all arrive whole in one read, or that
 * never sends, holds none.
 */
public final class FrameCodec {

	/**
	 * Room given to the serializers beyond the limit; {@link FrameReader} enforces the limit. Three
	 * bytes: a {@code max + 1} payload and the CR of its CR LF must fit under the serializer's own
	 * limit ({@code n >= limit} fails), so the LF is read too.
	 */
	static final int SLACK = 3;

	/** The largest max-message-size: room for the slack within an array's size. */
	public static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

	private static final int DEFAULT_BUFFER_SIZE = 8192;

	private final Framing framing;

	private final int maxMessageSize;

	/** The parser and writer of a framing with a terminator, else {@code null}. */
	private final @Nullable TerminatedFrames terminated;

	/** The serializer of a framing without a terminator, else {@code null}. */
	private final @Nullable AbstractByteArraySerializer serializer;

	private final int terminator;

	/**
	 * Creates a codec.
	 * @param framing the wire format
	 * @param maxMessageSize the largest payload accepted, inclusive
	 */
	public FrameCodec(Framing framing, int maxMessageSize) {
		if (maxMessageSize < 1 || maxMessageSize > MAX_LIMIT) {
			throw new IllegalArgumentException("max message size out of range: " + maxMessageSize);
		}
		this.framing = framing;
		this.maxMessageSize = maxMessageSize;
		this.terminated = newTerminatedFrames();
		this.serializer = createSerializer(framing, maxMessageSize);
		this.terminator = (this.terminated != null) ? this.terminated.terminator() : -1;
	}

	private @Nullable TerminatedFrames newTerminatedFrames() {
		return TerminatedFrames.handles(this.framing)
				? new TerminatedFrames(this.framing, this.maxMessageSize, describe()) : null;
	}

	private static @Nullable AbstractByteArraySerializer createSerializer(Framing framing, int maxMessageSize) {
		AbstractByteArraySerializer serializer = switch (framing) {
			case LENGTH_PREFIX -> new ByteArrayLengthHeaderSerializer(ByteArrayLengthHeaderSerializer.HEADER_SIZE_INT);
			case EOF -> new OwnBufferSerializers.Raw();
			case NONE -> new ChunkDeserializer();
			case LINE, CRLF, NULL, STX_ETX -> null;
		};
		if (serializer != null) {
			serializer.setMaxMessageSize(maxMessageSize + SLACK);
		}
		return serializer;
	}

	/**
	 * Returns the wire format.
	 * @return the framing
	 */
	public Framing framing() {
		return this.framing;
	}

	/**
	 * Returns the largest payload accepted, inclusive.
	 * @return the limit in bytes
	 */
	public int maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * Wraps a connection's input stream in the buffer its reader needs. For {@link Framing#NONE}
	 * the buffer is larger than the limit and every read asks for all of it, so one read is one
	 * chunk and a larger chunk is seen; other framings' reads adapt to what arrives.
	 * @param socketInput the connection's input stream
	 * @return the buffered stream
	 */
	public FrameInputStream newInputStream(InputStream socketInput) {
		int size = (this.framing == Framing.NONE) ? this.maxMessageSize + SLACK
				: Math.min(DEFAULT_BUFFER_SIZE, this.maxMessageSize + SLACK);
		return new FrameInputStream(socketInput, Math.max(size, 64), this.framing != Framing.NONE);
	}

	/**
	 * Wraps a connection's output stream in the buffer its frames are gathered in, so that each
	 * frame goes out with one write.
	 * @param socketOutput the connection's output stream
	 * @return the buffered stream
	 */
	public FrameOutputStream newOutputStream(OutputStream socketOutput) {
		return new FrameOutputStream(socketOutput, DEFAULT_BUFFER_SIZE);
	}

	/**
	 * Creates the reader for one connection.
	 * @param input the connection's stream from {@link #newInputStream}
	 * @return the reader
	 */
	public FrameReader newReader(FrameInputStream input) {
		return new FrameReader(input, newTerminatedFrames(), createSerializer(this.framing, this.maxMessageSize),
				this);
	}

	/**
	 * Checks that a reply can be sent as one frame with its descriptors: everything
	 * {@link #send} would refuse, refused before anything is written.
	 * @param payload the payload
	 * @param descriptors the descriptors to go with it, possibly none
	 * @throws InvalidReplyException if the payload contains the framing's terminator, or carries
	 * descriptors but encodes to no byte they could travel with
	 */
	public void checkReply(byte[] payload, List<FileDescriptor> descriptors) {
		checkReply(payload);
		if (!descriptors.isEmpty() && encodesToNothing(payload)) {
			throw new InvalidReplyException("Cannot send file descriptors with an empty message in " + describe()
					+ " framing: they travel with the message's first byte");
		}
	}

	/**
	 * Checks that a reply can be sent as one frame.
	 * @param payload the payload
	 * @throws InvalidReplyException if the payload contains the framing's terminator
	 */
	public void checkReply(byte[] payload) {
		int terminator = terminatorIndex(payload);
		if (terminator >= 0) {
			throw new InvalidReplyException(describeTerminator("reply", payload.length, terminator)
					+ ": the client would read it as more than one message");
		}
	}

	/**
	 * Checks that a request can be sent as one frame.
	 * @param payload the payload
	 * @throws IllegalArgumentException if the payload contains the framing's terminator
	 */
	public void checkRequest(byte[] payload) {
		int terminator = terminatorIndex(payload);
		if (terminator >= 0) {
			throw new IllegalArgumentException(describeTerminator("request", payload.length, terminator)
					+ ": the server would read it as more than one message");
		}
	}

	private String describeTerminator(String what, int length, int index) {
		return "A " + what + " of " + length + " bytes contains the " + describe() + " framing's terminator at byte "
				+ index;
	}

	/**
	 * Writes one checked frame ({@link #checkReply} or {@link #checkRequest}) and flushes it, with
	 * descriptors attached to its first bytes: what both ends of a connection do to send.
	 * @param payload the payload, already checked
	 * @param descriptors descriptors to pass with it, possibly none; not closed here
	 * @param socket where the connection's socket takes the descriptors for its next write, e.g.
	 * {@code socket::setOutboundFileDescriptors}; not called when there are none
	 * @param output the connection's buffered output stream
	 * @throws IllegalArgumentException if descriptors would go with a frame that has no bytes
	 * @throws IOException if writing fails
	 */
	public void send(byte[] payload, List<FileDescriptor> descriptors, OutboundDescriptors socket, OutputStream output)
			throws IOException {
		if (descriptors.isEmpty()) {
			encode(payload, output);
			output.flush();
			return;
		}
		// checked before the descriptors are handed to the socket: a frame that is not written
		// would leave them pending for the next write, by then perhaps numbers of other files
		if (encodesToNothing(payload)) {
			throw new IllegalArgumentException("Cannot send file descriptors with an empty message in " + describe()
					+ " framing: they travel with the message's first byte");
		}
		// the socket attaches them to its next write: the frame's first bytes
		output.flush();
		socket.set(descriptors.toArray(new FileDescriptor[0]));
		try {
			encode(payload, output);
			output.flush();
		}
		finally {
			socket.set(null);
		}
	}

	private void encode(byte[] payload, OutputStream output) throws IOException {
		TerminatedFrames frames = this.terminated;
		if (frames != null) {
			frames.write(payload, output);
		}
		else if (this.serializer != null) {
			this.serializer.serialize(payload, output);
		}
	}

	/**
	 * Tells whether a payload's frame has no bytes at all (an empty payload in {@code none} or
	 * {@code eof} framing), so nothing would be written.
	 * @param payload the payload
	 * @return {@code true} if framing it writes nothing
	 */
	public boolean encodesToNothing(byte[] payload) {
		return payload.length == 0 && (this.framing == Framing.NONE || this.framing == Framing.EOF);
	}

	private int terminatorIndex(byte[] payload) {
		int end = this.terminator;
		if (end < 0) {
			return -1;
		}
		boolean afterCarriageReturn = this.framing == Framing.CRLF;
		for (int i = 0; i < payload.length; i++) {
			if (payload[i] == end && (!afterCarriageReturn || (i > 0 && payload[i - 1] == '\r'))) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Names the framing as it is configured, e.g. {@code length-prefix}.
	 * @return the configured name
	 */
	public String describe() {
		return this.framing.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
