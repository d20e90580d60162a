package dev.udsboot.socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every junixsocket internal the starter relies on resolves on the junixsocket the build pins: an
 * upgrade that renames one fails here, rather than leaving a workaround quietly off (with a WARN at
 * startup that nobody may read).
 */
class JunixsocketInternalsTests {

	@Test
	void everyWorkaroundIsActiveOnThePinnedJunixsocket() {
		assertThat(JunixsocketInternals.workarounds()).hasSize(5)
			.allSatisfy((workaround, active) -> assertThat(active).as(workaround).isTrue());
	}

}
