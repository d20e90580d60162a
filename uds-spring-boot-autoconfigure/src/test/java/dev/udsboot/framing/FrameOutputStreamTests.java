package dev.udsboot.framing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.udsboot.test.WireFrames.ascii;
import static dev.udsboot.test.WireFrames.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIndexOutOfBoundsException;

/**
 * {@link FrameOutputStream}: what reaches the socket's stream, in which writes.
 */
class FrameOutputStreamTests {

	private final RecordingStream target = new RecordingStream();

	@Test
	void aFrameWrittenInPartsGoesOutInOneWriteOnFlush() throws IOException {
		FrameOutputStream output = new FrameOutputStream(this.target, 64);
		output.write(ascii("hello"));
		output.write('\n');
		assertThat(this.target.writes).as("nothing before the flush").isEmpty();
		output.flush();
		assertThat(this.target.writes).containsExactly("hello\n");
		assertThat(this.target.flushes).isEqualTo(1);
		output.flush();
		assertThat(this.target.writes).as("an empty flush writes nothing").hasSize(1);
	}

	@Test
	void aPartThatDoesNotFitDrainsTheBufferFirst() throws IOException {
		FrameOutputStream output = new FrameOutputStream(this.target, 8);
		output.write(ascii("abcde"));
		output.write(ascii("fghij"));
		output.flush();
		assertThat(this.target.writes).containsExactly("abcde", "fghij");
		for (byte b : ascii("123456789")) {
			output.write(b);
		}
		output.flush();
		assertThat(this.target.writes).containsExactly("abcde", "fghij", "12345678", "9");
	}

	@Test
	void aPartLargerThanTheBufferIsWrittenAsItIs() throws IOException {
		FrameOutputStream output = new FrameOutputStream(this.target, 8);
		byte[] large = payload(20);
		output.write('<');
		output.write(large, 0, large.length);
		output.write('>');
		output.flush();
		assertThat(this.target.writes).containsExactly("<", new String(large, StandardCharsets.ISO_8859_1), ">");
	}

	@Test
	void boundsAreChecked() {
		FrameOutputStream output = new FrameOutputStream(this.target, 8);
		assertThatIndexOutOfBoundsException().isThrownBy(() -> output.write(new byte[4], 2, 3));
		assertThatIndexOutOfBoundsException().isThrownBy(() -> output.write(new byte[4], -1, 2));
	}

	@Test
	void afterAFailedWriteNothingMoreIsSent() throws IOException {
		FrameOutputStream output = new FrameOutputStream(this.target, 8);
		output.write(ascii("abc"));
		this.target.failing = true;
		assertThatIOException().isThrownBy(output::flush).withMessage("broken pipe");
		this.target.failing = false;
		// part of the frame may have gone out: whatever followed would be read as its rest
		assertThatIOException().isThrownBy(() -> output.write('x')).withMessageContaining("earlier write");
		assertThatIOException().isThrownBy(() -> output.write(ascii("next frame")))
			.withMessageContaining("earlier write");
		assertThatIOException().isThrownBy(output::flush).withMessageContaining("broken pipe");
		assertThat(this.target.writes).isEmpty();
	}

	@Test
	void closeDrainsThenClosesTheTarget() throws IOException {
		FrameOutputStream output = new FrameOutputStream(this.target, 8);
		output.write(ascii("bye"));
		output.close();
		assertThat(this.target.writes).containsExactly("bye");
		assertThat(this.target.closed).isTrue();
	}

	/** Records each write it gets as one string. */
	private static final class RecordingStream extends OutputStream {

		final List<String> writes = new ArrayList<>();

		int flushes;

		boolean failing;

		boolean closed;

		@Override
		public void write(int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (this.failing) {
				throw new IOException("broken pipe");
			}
			this.writes.add(new String(Arrays.copyOfRange(bytes, offset, offset + length),
					StandardCharsets.ISO_8859_1));
		}

		@Override
		public void flush() {
			this.flushes++;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
