package dev.udsboot.socket;

import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.socket.JunixsocketWorkarounds.Workaround;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every junixsocket internal the starter relies on resolves on the junixsocket the build pins: an
 * upgrade that renames one fails here, rather than leaving a workaround off (reported once at
 * startup, and for the datagram bind guard failing the bind).
 */
class JunixsocketInternalsTests {

	@Test
	void everyWorkaroundIsActiveOnThePinnedJunixsocket() {
		assertThat(JunixsocketInternals.resolved()).containsExactlyInAnyOrder(Workaround.values());
		assertThat(JunixsocketWorkarounds.current().missing()).isEmpty();
		assertThat(JunixsocketWorkarounds.current().report(java.util.Set.of()))
			.matches("junixsocket \\S+: all 5 workarounds active \\(descriptor-receive-buffer, "
					+ "received-descriptor-ownership, datagram-reply-descriptors, datagram-send-timeout, "
					+ "datagram-bind-guard\\)");
	}

	@Test
	void everyDescriptorHandleResolvesToTheStartersOwnReception() throws Exception {
		try (AFUNIXSocket socket = AFUNIXSocket.newInstance()) {
			DescriptorReception reception = JunixsocketInternals.enable(socket);
			assertThat(reception.isEnabled()).isTrue();
			assertThat(reception.isOwned()).as("junixsocket's ancillary data was reached").isTrue();
		}
		try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
			DescriptorReception reception = ReceivedDescriptors.enable(channel);
			assertThat(reception.isEnabled()).isTrue();
			assertThat(reception.isOwned()).as("junixsocket's ancillary data was reached").isTrue();
			// owned: taking them off junixsocket's list must reach it without failing
			JunixsocketInternals.forgetReceived(reception);
		}
	}

	@Test
	void aChannelThatTakesNoDescriptorsGetsNone() throws Exception {
		try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
			assertThat(DescriptorReception.off().isEnabled()).isFalse();
			assertThat(DescriptorReception.off().isOwned()).isFalse();
			assertThat(ReceivedDescriptors.takeReceived(channel, DescriptorReception.off())).isEmpty();
		}
	}

}
