package dev.udsboot.systemd;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code STATUS=} text: one line, at most 512 bytes, a long list cut with its count.
 */
class StatusTextTests {

	@Test
	void aShortListIsShownWhole() {
		assertThat(StatusText.list("Serving ", List.of("echo (/a)", "events (/b)"))).isEqualTo("Serving echo (/a), events (/b)");
	}

	@Test
	void aLongListEndsWithHowManyMore() {
		List<String> items = IntStream.range(0, 60).mapToObj((i) -> "listener" + i + " (/" + "x".repeat(90) + ")").toList();
		String status = StatusText.list("Serving ", items);
		assertThat(status.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StatusText.MAX_BYTES);
		int shown = status.split(", ").length;
		assertThat(status).startsWith("Serving listener0 (/").endsWith(" … and " + (60 - shown) + " more");
		assertThat(shown).isBetween(2, 10);
	}

	@Test
	void controlCharactersCannotStartALine() {
		assertThat(StatusText.list("Serving ", List.of("echo (/run/a\nWATCHDOG=1\r\t\u0000.sock)")))
			.isEqualTo("Serving echo (/run/a?WATCHDOG=1???.sock)");
	}

	@Test
	void aTooLongTextIsCutAtACharacter() {
		String status = StatusText.of("é".repeat(600));
		assertThat(status.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StatusText.MAX_BYTES);
		assertThat(status).endsWith("é…");
		// an item that cannot be shown is counted
		assertThat(StatusText.list("Serving ", List.of("x".repeat(600)))).isEqualTo("Serving … and 1 more");
	}

}
