package dev.udsboot.framing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayCrLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayLfSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArraySingleTerminatorSerializer;
import org.springframework.integration.ip.tcp.serializer.ByteArrayStxEtxSerializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import dev.udsboot.framing.FrameRejectedException.Reason;

import static dev.udsboot.test.WireFrames.ascii;
import static dev.udsboot.test.WireFrames.concat;
import static dev.udsboot.test.WireFrames.frame;
import static dev.udsboot.test.WireFrames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link FrameCodec} and {@link FrameReader} over in-memory streams. Frames are encoded by hand
 * from the documented wire formats, so the codec is checked against the contract rather than
 * against itself.
 */
class FrameCodecTests {

	private static final int MAX = 100;

	/** Framings with an explicit end of frame, so several frames can share a stream. */
	private static final EnumSet<Framing> DELIMITED = EnumSet.of(Framing.LINE, Framing.CRLF, Framing.LENGTH_PREFIX,
			Framing.NULL, Framing.STX_ETX);

	@ParameterizedTest
	@EnumSource(Framing.class)
	void writeProducesTheDocumentedWireFormatAndReadsBack(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		byte[] payload = payload(42);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		send(codec, payload, out);
		assertThat(out.toByteArray()).isEqualTo(frame(framing, payload));
		FrameReader reader = reader(codec, out.toByteArray());
		assertThat(reader.next()).isEqualTo(payload);
		assertThat(reader.next()).isNull();
	}

	@Test
	void writeUsesTheWireFormatOfEachFraming() throws IOException {
		byte[] abc = ascii("abc");
		assertThat(written(Framing.LINE, abc)).isEqualTo(ascii("abc\n"));
		assertThat(written(Framing.CRLF, abc)).isEqualTo(ascii("abc\r\n"));
		assertThat(written(Framing.LENGTH_PREFIX, abc)).isEqualTo(new byte[] { 0, 0, 0, 3, 'a', 'b', 'c' });
		assertThat(written(Framing.NULL, abc)).isEqualTo(new byte[] { 'a', 'b', 'c', 0 });
		assertThat(written(Framing.STX_ETX, abc)).isEqualTo(new byte[] { 2, 'a', 'b', 'c', 3 });
		assertThat(written(Framing.EOF, abc)).isEqualTo(abc);
		assertThat(written(Framing.NONE, abc)).isEqualTo(abc);
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "LENGTH_PREFIX", "NULL", "STX_ETX" })
	void readsSeveralFramesBackToBack(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		List<byte[]> payloads = List.of(payload(1), payload(MAX), new byte[0], payload(17), payload(MAX - 1));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] payload : payloads) {
			out.writeBytes(frame(framing, payload));
		}
		FrameReader reader = reader(codec, out.toByteArray());
		for (byte[] payload : payloads) {
			assertThat(reader.next()).isEqualTo(payload);
		}
		assertThat(reader.next()).isNull();
		assertThat(reader.next()).isNull();
	}

	@Test
	void readsFramesSpanningTheInputBuffer() throws IOException {
		// 20,000 bytes: well past the 8 KiB buffer the terminator framings read through
		int max = 20_000;
		for (Framing framing : DELIMITED) {
			FrameCodec codec = new FrameCodec(framing, max);
			byte[] first = payload(max);
			byte[] second = payload(max - 3);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes(frame(framing, first));
			out.writeBytes(frame(framing, second));
			FrameReader reader = reader(codec, out.toByteArray());
			assertThat(reader.next()).as(framing.name()).isEqualTo(first);
			assertThat(reader.next()).as(framing.name()).isEqualTo(second);
			assertThat(reader.next()).as(framing.name()).isNull();
		}
	}

	@Test
	void noneFramingReturnsEachChunkAsOneMessage() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.NONE, MAX);
		FrameReader reader = reader(codec, List.of(ascii("first"), payload(MAX), ascii("x")));
		assertThat(reader.next()).isEqualTo(ascii("first"));
		assertThat(reader.next()).isEqualTo(payload(MAX));
		assertThat(reader.next()).isEqualTo(ascii("x"));
		assertThat(reader.next()).isNull();
	}

	@Test
	void eofFramingReadsEverythingUntilTheEndAsOneMessage() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.EOF, MAX);
		FrameReader reader = reader(codec, ascii("one\ntwo\r\n\0three"));
		assertThat(reader.next()).isEqualTo(ascii("one\ntwo\r\n\0three"));
		assertThat(reader.next()).isNull();
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "LENGTH_PREFIX", "NULL", "STX_ETX" })
	void readsAnEmptyPayload(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		send(codec, new byte[0], out);
		assertThat(out.toByteArray()).isEqualTo(frame(framing, new byte[0]));
		FrameReader reader = reader(codec, out.toByteArray());
		assertThat(reader.next()).isEmpty();
		assertThat(reader.next()).isNull();
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "EOF", "NONE" })
	void noBytesAtAllIsNoMessage(Framing framing) throws IOException {
		FrameReader reader = reader(new FrameCodec(framing, MAX), new byte[0]);
		assertThat(reader.next()).isNull();
	}

	static Stream<Arguments> framingsAndLimits() {
		return Arrays.stream(Framing.values())
			.flatMap((framing) -> Stream.of(1, MAX, 10_000).map((max) -> Arguments.of(framing, max)));
	}

	@ParameterizedTest(name = "{0} max={1}")
	@MethodSource("framingsAndLimits")
	void acceptsExactlyMaxBytes(Framing framing, int max) throws IOException {
		FrameCodec codec = new FrameCodec(framing, max);
		assertThat(codec.maxMessageSize()).isEqualTo(max);
		byte[] payload = payload(max);
		FrameReader reader = reader(codec, frame(framing, payload));
		assertThat(reader.next()).isEqualTo(payload);
		assertThat(reader.next()).isNull();
	}

	@ParameterizedTest(name = "{0} max={1}")
	@MethodSource("framingsAndLimits")
	void rejectsMaxPlusOneBytesAsTooLarge(Framing framing, int max) {
		FrameCodec codec = new FrameCodec(framing, max);
		FrameRejectedException ex = rejection(reader(codec, frame(framing, payload(max + 1))));
		assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE);
		assertThat(ex).hasMessageContaining("max-message-size " + max);
	}

	@ParameterizedTest(name = "{0} max={1}")
	@MethodSource("framingsAndLimits")
	void readsAWholeFrameOfMaxPlusOneBeforeRejectingIt(Framing framing, int max) throws IOException {
		// nothing of the frame is left unread: a server closing then gives its client a clean end
		// of stream rather than a connection reset
		FrameCodec codec = new FrameCodec(framing, max);
		List<byte[]> frames = new ArrayList<>();
		frames.add(frame(framing, payload(max + 1)));
		if (framing == Framing.LINE) {
			frames.add(concat(payload(max + 1), ascii("\r\n")));
		}
		for (byte[] frame : frames) {
			ByteArrayInputStream source = new ByteArrayInputStream(frame);
			FrameInputStream input = codec.newInputStream(source);
			FrameRejectedException ex = rejection(codec.newReader(input));
			assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE);
			assertThat(input.available() + source.available()).as("bytes of the frame left unread").isZero();
		}
	}

	@ParameterizedTest(name = "{0} max={1}")
	@MethodSource("framingsAndLimits")
	void rejectsFramesFarOverTheLimitAsTooLarge(Framing framing, int max) {
		// past the serializers' own slack too: their failure must be reported the same way
		FrameCodec codec = new FrameCodec(framing, max);
		for (int size : new int[] { max + 2, max + 3, 3 * max + 100 }) {
			FrameRejectedException ex = rejection(reader(codec, frame(framing, payload(size))));
			assertThat(ex.reason()).as("%s bytes", size).isEqualTo(Reason.TOO_LARGE);
		}
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "NULL", "STX_ETX" })
	void rejectsAnUnterminatedFrameOverTheLimitBeforeTheStreamEnds(Framing framing) throws IOException {
		byte[] frame = frame(framing, payload(10 * MAX));
		byte[] unterminated = Arrays.copyOf(frame, frame.length - ((framing == Framing.CRLF) ? 2 : 1));
		FrameRejectedException ex = rejection(reader(new FrameCodec(framing, MAX), unterminated));
		assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE);
	}

	@Test
	void lineFramingStripsOneTrailingCarriageReturnOnly() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.LINE, MAX);
		FrameReader reader = reader(codec, ascii("crlf\r\nin\rside\n\r\nlf\n"));
		assertThat(reader.next()).isEqualTo(ascii("crlf"));
		assertThat(reader.next()).isEqualTo(ascii("in\rside"));
		assertThat(reader.next()).isEmpty();
		assertThat(reader.next()).isEqualTo(ascii("lf"));
		assertThat(reader.next()).isNull();
	}

	@Test
	void lineFramingLimitAppliesToThePayloadWithoutTheCarriageReturn() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.LINE, MAX);
		byte[] max = payload(MAX);
		assertThat(reader(codec, concat(max, ascii("\r\n"))).next()).isEqualTo(max);
		FrameRejectedException ex = rejection(reader(codec, concat(payload(MAX + 1), ascii("\r\n"))));
		assertThat(ex.reason()).isEqualTo(Reason.TOO_LARGE);
	}

	@Test
	void crlfFramingKeepsLoneLineFeedsAndCarriageReturns() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.CRLF, MAX);
		FrameReader reader = reader(codec, ascii("a\nb\rc\r\n\r\r\n"));
		assertThat(reader.next()).isEqualTo(ascii("a\nb\rc"));
		assertThat(reader.next()).isEqualTo(ascii("\r"));
		assertThat(reader.next()).isNull();
	}

	@Test
	void stxEtxWithoutStxIsMalformed() {
		FrameCodec codec = new FrameCodec(Framing.STX_ETX, MAX);
		FrameRejectedException ex = rejection(reader(codec, ascii("hello\u0003")));
		assertThat(ex.reason()).isEqualTo(Reason.MALFORMED);
		assertThat(ex).hasMessageContaining("stx-etx");
	}

	@Test
	void stxEtxGarbageAfterAValidFrameIsMalformed() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.STX_ETX, MAX);
		FrameReader reader = reader(codec, ascii("\u0002ok\u0003junk"));
		assertThat(reader.next()).isEqualTo(ascii("ok"));
		assertThat(rejection(reader).reason()).isEqualTo(Reason.MALFORMED);
	}

	@Test
	void lengthHeaderWithTheTopBitSetIsTooLarge() {
		// the contract's length is unsigned: 0xFFFFFFFF and 0x80000000 are 4 GiB and 2 GiB frames,
		// though the serializer reads them as negative ints
		FrameCodec codec = new FrameCodec(Framing.LENGTH_PREFIX, MAX);
		for (int header : new int[] { -1, Integer.MIN_VALUE }) {
			byte[] bytes = concat(ByteBuffer.allocate(4).putInt(header).array(), payload(10));
			FrameRejectedException ex = rejection(reader(codec, bytes));
			assertThat(ex.reason()).as("header %08x", header).isEqualTo(Reason.TOO_LARGE);
		}
	}

	@Test
	void hugeLengthHeaderIsTooLargeWithoutWaitingForThePayload() {
		FrameCodec codec = new FrameCodec(Framing.LENGTH_PREFIX, MAX);
		for (int header : new int[] { Integer.MAX_VALUE, MAX + 1000, 2 * MAX }) {
			// only a few payload bytes follow: rejected on the header alone, not as truncated
			byte[] bytes = concat(ByteBuffer.allocate(4).putInt(header).array(), payload(5));
			FrameRejectedException ex = rejection(reader(codec, bytes));
			assertThat(ex.reason()).as("header %d", header).isEqualTo(Reason.TOO_LARGE);
		}
	}

	static Stream<Arguments> halfFrames() {
		return Stream.of(Arguments.of(Framing.LINE, ascii("half a line")),
				Arguments.of(Framing.CRLF, ascii("half a line")), Arguments.of(Framing.CRLF, ascii("ends with cr\r")),
				Arguments.of(Framing.CRLF, ascii("ends with lf\n")),
				Arguments.of(Framing.LENGTH_PREFIX, new byte[] { 0, 0 }),
				Arguments.of(Framing.LENGTH_PREFIX, new byte[] { 0, 0, 0, 10 }),
				Arguments.of(Framing.LENGTH_PREFIX, new byte[] { 0, 0, 0, 10, 'a', 'b', 'c' }),
				Arguments.of(Framing.NULL, ascii("half")), Arguments.of(Framing.STX_ETX, new byte[] { 2 }),
				Arguments.of(Framing.STX_ETX, new byte[] { 2, 'a', 'b' }));
	}

	@ParameterizedTest(name = "{0} {index}")
	@MethodSource("halfFrames")
	void halfAFrameThenEndOfStreamIsTruncated(Framing framing, byte[] half) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		byte[] whole = payload(7);
		FrameReader reader = reader(codec, concat(frame(framing, whole), half));
		assertThat(reader.next()).isEqualTo(whole);
		FrameRejectedException ex = rejection(reader);
		assertThat(ex.reason()).isEqualTo(Reason.TRUNCATED);
		assertThat(ex).hasMessageContaining("closed in the middle");
	}

	@ParameterizedTest
	@EnumSource(Framing.class)
	void endOfStreamBetweenFramesIsNull(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		assertThat(reader(codec, new byte[0]).next()).isNull();
		FrameReader reader = reader(codec, frame(framing, ascii("last")));
		assertThat(reader.next()).isEqualTo(ascii("last"));
		assertThat(reader.next()).isNull();
	}

	@Test
	void aFailureOfTheSourceIsNotMistakenForABadFrame() {
		IOException failure = new IOException("socket broke");
		InputStream failing = new SequenceInputStream(new ByteArrayInputStream(ascii("part")), new InputStream() {

			@Override
			public int read() throws IOException {
				throw failure;
			}

		});
		FrameCodec codec = new FrameCodec(Framing.LINE, MAX);
		FrameReader reader = codec.newReader(codec.newInputStream(failing));
		IOException thrown = catchThrowableOfType(IOException.class, reader::next);
		assertThat(thrown).isSameAs(failure);
	}

	@Test
	void oneCodecServesManyReadersAfterRejections() throws IOException {
		// each reader has its own one-slot buffer pool: a rejected frame must give its buffer back
		for (Framing framing : Framing.values()) {
			FrameCodec codec = new FrameCodec(framing, MAX);
			for (int i = 0; i < 3; i++) {
				assertThat(rejection(reader(codec, frame(framing, payload(MAX + 50)))).reason()).as(framing.name())
					.isEqualTo(Reason.TOO_LARGE);
				assertThat(reader(codec, frame(framing, payload(MAX))).next()).as(framing.name())
					.isEqualTo(payload(MAX));
			}
		}
	}

	/**
	 * The framings with a terminator are parsed by the starter, in the formats of
	 * spring-integration-ip's serializers; this checks that the outcome is the serializer's own:
	 * the same streams read whole (frames taken from the buffer), one byte per read (frames
	 * gathered across reads) and by the serializer give the same payloads and the same rejection,
	 * after the same bytes. Random streams of frames and stray bytes (terminators, CRs), with a
	 * small limit so that frames over it and at it are common.
	 */
	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "LINE", "CRLF", "NULL", "STX_ETX" })
	void framesTakenWholeFromTheBufferReadAsTheSerializerReadsThem(Framing framing) {
		byte[] alphabet = { 'a', 'b', '\r', '\n', 0, 2, 3 };
		java.util.Random random = new java.util.Random(framing.ordinal() * 7919L);
		int max = 6;
		int frames = 0;
		for (int i = 0; i < 3_000; i++) {
			// valid frames (some over the limit) mixed with stray bytes
			ByteArrayOutputStream stream = new ByteArrayOutputStream();
			for (int piece = random.nextInt(8); piece > 0; piece--) {
				if (random.nextInt(4) == 0) {
					stream.write(alphabet[random.nextInt(alphabet.length)]);
				}
				else {
					byte[] payload = new byte[random.nextInt(max + 3)];
					for (int j = 0; j < payload.length; j++) {
						payload[j] = alphabet[random.nextInt(3)];
					}
					stream.writeBytes(frame(framing, payload));
				}
			}
			byte[] bytes = stream.toByteArray();
			FrameCodec codec = new FrameCodec(framing, max);
			List<String> whole = outcomes(codec, new ByteArrayInputStream(bytes));
			List<String> byteByByte = outcomes(codec, new InputStream() {

				private int next;

				@Override
				public int read() {
					return (this.next < bytes.length) ? bytes[this.next++] & 0xff : -1;
				}

				@Override
				public int read(byte[] target, int offset, int length) {
					int value = read();
					if (value < 0) {
						return -1;
					}
					target[offset] = (byte) value;
					return 1;
				}

			});
			assertThat(whole).as("%s over %s", framing, Arrays.toString(bytes)).isEqualTo(byteByByte);
			assertThat(whole).as("%s over %s", framing, Arrays.toString(bytes))
				.isEqualTo(serializerOutcomes(framing, max, bytes));
			frames += (int) whole.stream().filter((outcome) -> outcome.startsWith("frame")).count();
		}
		assertThat(frames).as("frames read").isGreaterThan(3_000);
	}

	/**
	 * What spring-integration-ip's serializer for a framing makes of a stream, told as
	 * {@link #outcomes} tells a reader's: the serializer limited to the limit plus the codec's slack,
	 * the listener's limit applied after it, as the codec documents.
	 */
	private static List<String> serializerOutcomes(Framing framing, int max, byte[] bytes) {
		AbstractByteArraySerializer serializer = switch (framing) {
			case LINE -> new ByteArrayLfSerializer();
			case CRLF -> new ByteArrayCrLfSerializer();
			case NULL -> new ByteArraySingleTerminatorSerializer((byte) 0);
			case STX_ETX -> new ByteArrayStxEtxSerializer();
			default -> throw new IllegalArgumentException(framing.name());
		};
		serializer.setMaxMessageSize(max + FrameCodec.SLACK);
		boolean[] ended = new boolean[1];
		ByteArrayInputStream source = new ByteArrayInputStream(bytes) {

			@Override
			public synchronized int read() {
				int value = super.read();
				ended[0] |= value < 0;
				return value;
			}

		};
		List<String> outcomes = new ArrayList<>();
		while (true) {
			Reason rejected = null;
			try {
				byte[] payload = serializer.deserialize(source);
				if (framing == Framing.LINE && payload.length > 0 && payload[payload.length - 1] == '\r') {
					payload = Arrays.copyOf(payload, payload.length - 1);
				}
				if (payload.length <= max) {
					outcomes.add("frame " + Arrays.toString(payload) + " at " + (bytes.length - source.available()));
					continue;
				}
				rejected = Reason.TOO_LARGE;
			}
			catch (SoftEndOfStreamException ex) {
				outcomes.add("end at " + bytes.length);
				return outcomes;
			}
			catch (IOException ex) {
				rejected = ended[0] ? Reason.TRUNCATED : Reason.TOO_LARGE;
			}
			catch (RuntimeException ex) {
				rejected = Reason.MALFORMED;
			}
			outcomes.add("rejected " + rejected + " at " + (bytes.length - source.available()));
			return outcomes;
		}
	}

	@Test
	void bufferedBytesAreFoundAndTakenWithoutReadingTheSource() throws IOException {
		FrameInputStream input = new FrameInputStream(new ByteArrayInputStream(ascii("ab\ncd\nef")), 64, true);
		assertThat(input.indexOfBuffered((byte) '\n', 0)).as("nothing buffered yet").isEqualTo(-1);
		assertThat(input.bufferedByte(0)).isEqualTo(-1);
		assertThat(input.awaitData()).isTrue();
		assertThat(input.indexOfBuffered((byte) '\n', 0)).isEqualTo(2);
		assertThat(input.indexOfBuffered((byte) '\n', 3)).isEqualTo(5);
		assertThat(input.indexOfBuffered((byte) 'z', 0)).isEqualTo(-1);
		assertThat(input.bufferedByte(1)).isEqualTo('b');
		assertThat(input.takeBuffered(1, 1, 3)).isEqualTo(ascii("b"));
		assertThat(input.consumed()).isEqualTo(3);
		assertThat(input.indexOfBuffered((byte) '\n', 0)).isEqualTo(2);
		assertThat(input.bufferedByte(5)).isEqualTo(-1);
		assertThat(input.available()).isEqualTo(5);
	}

	@Test
	void readsAskForWhatRecentReadsBroughtWithinTheBuffer() throws IOException {
		// each read returns at most what one "write" of the peer put there, like a socket
		int[] arriving = { 64, 64, 256, 512, 1024, 2048, 8192, 8192, 8192, 64, 64, 64, 64, 64, 64, 64 };
		AskedSource socket = new AskedSource(
				(call, length) -> (call < arriving.length) ? Math.min(length, arriving[call]) : -1);
		FrameInputStream input = new FrameInputStream(socket, 8192, true);
		while (input.awaitData()) {
			input.skip(input.available());
		}
		assertThat(socket.asked).as("starts at 256, doubles after a full read, halves after two under a quarter")
			.containsExactly(256, 256, 256, 512, 1024, 2048, 4096, 8192, 8192, 8192, 8192, 4096, 4096, 2048, 2048, 1024,
					1024);
	}

	@Test
	void aReadForMoreThanTheCurrentLengthAsksForWhatTheCallerWants() throws IOException {
		AskedSource socket = new AskedSource((call, length) -> length);
		FrameInputStream input = new FrameInputStream(socket, 8192, true);
		assertThat(input.read(new byte[3000], 0, 3000)).isEqualTo(3000);
		assertThat(input.read(new byte[100], 0, 100)).as("a full read doubled the length").isEqualTo(100);
		assertThat(input.read(new byte[8000], 0, 8000)).as("the rest of that read").isEqualTo(5900);
		assertThat(input.read(new byte[9000], 0, 9000)).as("more than the buffer: read directly").isEqualTo(9000);
		assertThat(socket.asked).containsExactly(3000, 6000, 9000);
	}

	@Test
	void noneFramingReadsAskForTheWholeBuffer() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.NONE, 10_000);
		AskedSource socket = new AskedSource((call, length) -> (call < 3) ? 10 : -1);
		FrameReader reader = codec.newReader(codec.newInputStream(socket));
		while (reader.next() != null) {
			// each 10-byte read is one message
		}
		assertThat(socket.asked).hasSize(4).allMatch((length) -> length == 10_000 + FrameCodec.SLACK);
	}

	/**
	 * Every frame a reader returns, then how it stopped (at the end, or the rejection's reason),
	 * each with the bytes consumed so far.
	 */
	private static List<String> outcomes(FrameCodec codec, InputStream source) {
		FrameInputStream input = codec.newInputStream(source);
		FrameReader reader = codec.newReader(input);
		List<String> outcomes = new ArrayList<>();
		try {
			byte[] payload;
			while ((payload = reader.next()) != null) {
				outcomes.add("frame " + Arrays.toString(payload) + " at " + input.consumed());
			}
			outcomes.add("end at " + input.consumed());
		}
		catch (FrameRejectedException ex) {
			outcomes.add("rejected " + ex.reason() + " at " + input.consumed());
		}
		catch (IOException ex) {
			outcomes.add("failed " + ex);
		}
		return outcomes;
	}

	@Test
	void descriptorsAreSetForTheFrameAloneAndClearedAfterIt() throws IOException {
		FrameCodec codec = new FrameCodec(Framing.LINE, MAX);
		List<String> events = new ArrayList<>();
		OutputStream socket = new OutputStream() {

			@Override
			public void write(int b) {
				throw new UnsupportedOperationException("frame streams write in blocks");
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				events.add("write " + new String(bytes, offset, length, java.nio.charset.StandardCharsets.US_ASCII));
			}

		};
		OutboundDescriptors outbound = (descriptors) -> events
			.add((descriptors != null) ? "set " + descriptors.length : "clear");
		FrameOutputStream output = codec.newOutputStream(socket);
		output.write(ascii("pending"));
		codec.send(ascii("reply"), List.of(FileDescriptor.in, FileDescriptor.out), outbound, output);
		codec.send(ascii("plain"), List.of(), outbound, output);
		// bytes written before go out first, so the descriptors travel with the frame's first byte
		assertThat(events).containsExactly("write pending", "set 2", "write reply\n", "clear", "write plain\n");
	}

	@ParameterizedTest
	@EnumSource(value = Framing.class, names = { "EOF", "NONE" })
	void descriptorsWithAFrameOfNoBytesAreRefusedBeforeTheSocketSeesThem(Framing framing) throws IOException {
		FrameCodec codec = new FrameCodec(framing, MAX);
		assertThat(codec.encodesToNothing(new byte[0])).isTrue();
		List<String> events = new ArrayList<>();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> codec.send(new byte[0], List.of(FileDescriptor.in), (descriptors) -> events.add("set"),
					out))
			.withMessageContaining("empty message");
		assertThat(events).isEmpty();
		assertThat(out.size()).isZero();
	}

	@Test
	void rejectsAMaxMessageSizeOutOfRange() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameCodec(Framing.LINE, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameCodec(Framing.LINE, -5));
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameCodec(Framing.LINE, Integer.MAX_VALUE));
	}

	private static FrameRejectedException rejection(FrameReader reader) {
		FrameRejectedException ex = catchThrowableOfType(FrameRejectedException.class, reader::next);
		assertThat(ex).as("a rejected frame").isNotNull();
		return ex;
	}

	private static FrameReader reader(FrameCodec codec, byte[] bytes) {
		return codec.newReader(codec.newInputStream(new ByteArrayInputStream(bytes)));
	}

	/** A stream whose every read returns at most one of the chunks, like a socket. */
	private static FrameReader reader(FrameCodec codec, List<byte[]> chunks) {
		InputStream chunked = new SequenceInputStream(
				Collections.enumeration(chunks.stream().map(ByteArrayInputStream::new).toList()));
		return codec.newReader(codec.newInputStream(chunked));
	}

	private static byte[] written(Framing framing, byte[] payload) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		send(new FrameCodec(framing, MAX), payload, out);
		return out.toByteArray();
	}

	/** Writes a frame as both ends of a connection do, with no descriptors. */
	private static void send(FrameCodec codec, byte[] payload, OutputStream out) throws IOException {
		codec.checkReply(payload);
		codec.send(payload, List.of(), (descriptors) -> {
			throw new AssertionError("no descriptors to set");
		}, out);
	}

	/** A source that records how many bytes each read asks for and answers as it is told. */
	private static final class AskedSource extends InputStream {

		final List<Integer> asked = new ArrayList<>();

		private final IntBinaryOperator answer;

		/**
		 * @param answer the count each read returns (-1 for the end), from the read's index and
		 * the length it asked for
		 */
		AskedSource(IntBinaryOperator answer) {
			this.answer = answer;
		}

		@Override
		public int read() {
			throw new UnsupportedOperationException("frame streams read in blocks");
		}

		@Override
		public int read(byte[] target, int offset, int length) {
			this.asked.add(length);
			return this.answer.applyAsInt(this.asked.size() - 1, length);
		}

	}

}
