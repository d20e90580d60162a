package dev.udsboot.socket;

import java.util.EnumSet;
import java.util.Set;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.udsboot.UdsStartupException;
import dev.udsboot.socket.JunixsocketWorkarounds.Workaround;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The capability report and its one security rule, checked against junixsocket states the pinned
 * version never has: the report is built from which internals resolved, so a missing one is
 * injected here.
 */
@ExtendWith(OutputCaptureExtension.class)
class JunixsocketWorkaroundsTests {

	private static final JunixsocketWorkarounds WITHOUT_GUARD = new JunixsocketWorkarounds(
			EnumSet.complementOf(EnumSet.of(Workaround.DATAGRAM_BIND_GUARD)), "9.9.9");

	private static final JunixsocketWorkarounds WITHOUT_SEND_TIMEOUT = new JunixsocketWorkarounds(
			EnumSet.complementOf(EnumSet.of(Workaround.DATAGRAM_SEND_TIMEOUT)), "9.9.9");

	@Test
	void onlyTheDatagramBindGuardIsSecurityRelevant() {
		assertThat(EnumSet.allOf(Workaround.class)).filteredOn(Workaround::isSecurityRelevant)
			.containsExactly(Workaround.DATAGRAM_BIND_GUARD);
		assertThat(Workaround.DATAGRAM_BIND_GUARD.id()).isEqualTo("datagram-bind-guard");
	}

	@Test
	void aMissingSecurityWorkaroundFailsWhatReliesOnItNamingTheProperty() {
		assertThatExceptionOfType(UdsStartupException.class)
			.isThrownBy(() -> WITHOUT_GUARD.require(Workaround.DATAGRAM_BIND_GUARD, "the datagram socket file /x.sock",
					Set.of(), LogFactory.getLog(getClass())))
			.satisfies((ex) -> {
				assertThat(ex.getDescription()).contains("junixsocket 9.9.9", "datagram-bind-guard",
						"the datagram socket file /x.sock", "any user can send to a datagram socket file");
				assertThat(ex.getAction()).contains("uds.accept-missing-workarounds=datagram-bind-guard");
			});
	}

	@Test
	void acceptingTheLossTurnsTheFailureIntoAWarning(CapturedOutput output) {
		assertThat(WITHOUT_GUARD.require(Workaround.DATAGRAM_BIND_GUARD, "the datagram socket file /x.sock",
				Set.of(Workaround.DATAGRAM_BIND_GUARD), LogFactory.getLog(getClass())))
			.as("the caller goes on without the workaround").isFalse();
		assertThat(output).contains("WARN").contains("Without the junixsocket workaround datagram-bind-guard "
				+ "(uds.accept-missing-workarounds), for the datagram socket file /x.sock");
	}

	@Test
	void aMissingWorkaroundThatCostsNoSecurityOnlyWarns(CapturedOutput output) {
		assertThat(WITHOUT_SEND_TIMEOUT.require(Workaround.DATAGRAM_SEND_TIMEOUT, "a datagram channel", Set.of(),
				LogFactory.getLog(getClass())))
			.isFalse();
		assertThat(output).contains("WARN").contains("datagram-send-timeout");
	}

	@Test
	void anActiveWorkaroundIsSimplyUsed() {
		assertThat(WITHOUT_GUARD.require(Workaround.DATAGRAM_SEND_TIMEOUT, "a datagram channel", Set.of(),
				LogFactory.getLog(getClass())))
			.isTrue();
	}

	@Test
	void theReportNamesWhatIsActiveAndWhatEachMissingOneCosts() {
		assertThat(WITHOUT_GUARD.report(Set.of())).isEqualTo("junixsocket 9.9.9: workarounds active: "
				+ "descriptor-receive-buffer, received-descriptor-ownership, datagram-reply-descriptors, "
				+ "datagram-send-timeout; missing: datagram-bind-guard (any user can send to a datagram socket file "
				+ "between its bind and the setting of its mode, when junixsocket leaves it rw-rw-rw-; binding a "
				+ "datagram socket file fails unless uds.accept-missing-workarounds lists it)");
		assertThat(WITHOUT_GUARD.report(Set.of(Workaround.DATAGRAM_BIND_GUARD)))
			.endsWith("; accepted by uds.accept-missing-workarounds)");
		assertThat(WITHOUT_SEND_TIMEOUT.report(Set.of())).endsWith(
				"missing: datagram-send-timeout (a datagram reply to a sender that does not read waits until it does)");
	}

	@Test
	void theReportIsLoggedAtInfoWhenAllIsWellAndAtWarnOtherwise(CapturedOutput output) {
		new JunixsocketWorkarounds(EnumSet.allOf(Workaround.class), "9.9.9").log(LogFactory.getLog(getClass()),
				Set.of());
		assertThat(output).contains("INFO").contains("junixsocket 9.9.9: all 5 workarounds active");
		WITHOUT_GUARD.log(LogFactory.getLog(getClass()), Set.of());
		assertThat(output).contains("WARN").contains("junixsocket 9.9.9: workarounds active:");
	}

	@Test
	void acceptancesAddUpAndLastUntilClosed() {
		try (JunixsocketWorkarounds.Acceptance first = JunixsocketWorkarounds
			.acceptMissing(Set.of(Workaround.DATAGRAM_BIND_GUARD))) {
			try (JunixsocketWorkarounds.Acceptance second = JunixsocketWorkarounds.acceptMissing(Set.of())) {
				assertThat(JunixsocketWorkarounds.acceptedMissing()).containsExactly(Workaround.DATAGRAM_BIND_GUARD);
			}
			assertThat(JunixsocketWorkarounds.acceptedMissing()).containsExactly(Workaround.DATAGRAM_BIND_GUARD);
		}
		assertThat(JunixsocketWorkarounds.acceptedMissing()).isEmpty();
	}

}
