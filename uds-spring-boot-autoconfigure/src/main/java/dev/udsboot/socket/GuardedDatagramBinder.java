package dev.udsboot.socket;

import java.io.Closeable;
import java.io.IOException;
import java.security.SecureRandom;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Binds a datagram channel at its public path while the kernel refuses every sender but a private
 * guard socket: the channel is connected to the guard before the bind and disconnected once the
 * file has its mode. A connected datagram socket accepts datagrams, and connections, only from its
 * peer ({@code unix_may_send} in the kernel), so nobody can send to, or connect to and keep
 * sending to, the file while junixsocket's bind leaves it {@code rw-rw-rw-}. The guard has a random
 * abstract name; it never sends, and is closed with this binder.
 * <p>
 * The guard needs junixsocket's native disconnect
 * ({@link JunixsocketWorkarounds.Workaround#DATAGRAM_BIND_GUARD}): without it the channel could
 * never take other senders again. Binding then fails before anything is bound, unless the
 * application accepted that loss, in which case the file is bound unguarded and a warning names it.
 */
final class GuardedDatagramBinder implements SocketFileBinder.PrivateSocketBinder<AFUNIXDatagramChannel>, Closeable {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SocketFileBinder.DatagramOpener opener;

	private final JunixsocketWorkarounds workarounds;

	private @Nullable AFUNIXDatagramSocket guard;

	GuardedDatagramBinder(SocketFileBinder.DatagramOpener opener, JunixsocketWorkarounds workarounds) {
		this.opener = opener;
		this.workarounds = workarounds;
	}

	/**
	 * Opens the channel, connects it to a new guard, and binds it.
	 * @throws dev.udsboot.UdsStartupException if there can be no guard and that was not accepted
	 */
	@Override
	public AFUNIXDatagramChannel bind(AFUNIXSocketAddress address) throws IOException {
		// checked before anything is opened, so a refusal leaves nothing behind
		boolean guarded = this.workarounds.require(JunixsocketWorkarounds.Workaround.DATAGRAM_BIND_GUARD,
				"the datagram socket file " + address.getPath());
		AFUNIXDatagramChannel channel = this.opener.open();
		try {
			if (guarded) {
				channel.connect(openGuard());
			}
			channel.bind(address);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	@Override
	public void modeApplied(AFUNIXDatagramChannel channel) throws IOException {
		if (this.guard != null) {
			// the channel still reports itself connected: junixsocket's state is never told
			JunixsocketInternals.disconnect(channel.getFileDescriptor());
		}
	}

	private AFUNIXSocketAddress openGuard() throws IOException {
		// 64 random bits: a name already taken is as good as impossible, and fails the bind
		AFUNIXSocketAddress address = AFUNIXSocketAddress
			.inAbstractNamespace("uds-guard-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
		AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
		this.guard = socket;
		socket.bind(address);
		return address;
	}

	@Override
	public void close() {
		AFUNIXDatagramSocket socket = this.guard;
		this.guard = null;
		if (socket != null) {
			socket.close();
		}
	}

}
