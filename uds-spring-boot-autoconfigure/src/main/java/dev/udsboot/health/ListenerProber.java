package dev.udsboot.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerInterceptor;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.TcpAddress;
import dev.udsboot.socket.UdsAddress;

/**
 * Checks from inside the application that a listener serves, for its health: a connection or a
 * datagram of the starter's own goes through the listener's socket, and is answered (one
 * acknowledgement byte on a connection, the datagram sent back) without reaching a handler, an
 * event handler or the statistics. Both ends are here: the client side ({@link #probeStream},
 * {@link #probeDatagram}) and the server side, the container's {@link UdsListenerInterceptor},
 * which the prober adds to the container on first use. One prober per container
 * ({@link #forContainer}), so that a probe that gave up is still recognised later.
 * <p>
 * Telling probes apart: a datagram probe comes from a socket bound to a random abstract name that
 * only this object knows. A stream probe cannot be told by its address (junixsocket neither binds
 * a client socket nor reports a connection's peer address), so it writes a random token as soon
 * as it connects; the interceptor looks at the first bytes of a connection from its own process
 * (the peer pid is the kernel's, and cannot be forged) while a probe is pending, without
 * consuming them. A probe that gave up before its container reached it is remembered for
 * {@link #RETIRED_FOR}, so that it is still dropped unseen when the container gets to it. While no
 * probe is pending or retired the interceptor is not active, and the read paths skip it.
 */
public final class ListenerProber implements UdsListenerInterceptor {

	/** The prober of each container; weak, so that a discarded container goes with its prober. */
	private static final Map<UdsListenerContainer, ListenerProber> PROBERS = new WeakHashMap<>();

	private static final String NAME_PREFIX = "uds-probe-";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Bytes of a stream probe's token. */
	static final int TOKEN_BYTES = 16;

	/** How long the prober waits for the token from a connection that may be a probe. */
	private static final int TOKEN_WAIT_MILLIS = 200;

	/** The pid of a peer whose transport carries no credentials (TCP). */
	private static final long NO_PID = -1;

	private static final long OWN_PID = ProcessHandle.current().pid();

	/** How long a probe that gave up is still recognised. */
	static final Duration RETIRED_FOR = Duration.ofMinutes(5);

	private static final int MAX_RETIRED = 1024;

	/** What the prober writes to a stream probe it recognised. */
	public static final int ACKNOWLEDGEMENT = 'U';

	/** Abstract names of pending datagram probes, and tokens of pending stream probes. */
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	/** Names and tokens of probes that gave up unanswered, until when they are recognised. */
	private final Map<String, Long> retired = new ConcurrentHashMap<>();

	private ListenerProber() {
	}

	/**
	 * Returns the prober of a container, made and added as its interceptor on first use; the
	 * same one afterwards, so that a probe that gave up is still recognised by the next call.
	 * @param container the listener's container
	 * @return its prober
	 */
	public static ListenerProber forContainer(UdsListenerContainer container) {
		synchronized (PROBERS) {
			ListenerProber prober = PROBERS.get(container);
			if (prober == null) {
				prober = new ListenerProber();
				container.addInterceptor(prober);
				PROBERS.put(container, prober);
			}
			return prober;
		}
	}

	/**
	 * Takes a connection from this process whose first bytes are a pending (or retired) probe's
	 * token: consumes the token and writes {@link #ACKNOWLEDGEMENT}. Any other connection is
	 * declined at once, without a read, while no probe is pending or retired, or when its peer is
	 * another process.
	 */
	@Override
	public boolean interceptConnection(InterceptedConnection connection) throws IOException {
		long peer = connection.peerPid();
		// another process's connection is never a probe; a TCP connection has no pid, and is
		// looked at only while a probe is pending
		if (!anyKnown() || (peer != OWN_PID && peer != NO_PID)) {
			return false;
		}
		byte[] first = connection.peek(TOKEN_WAIT_MILLIS);
		if (first.length < TOKEN_BYTES || !isKnown(new String(first, 0, TOKEN_BYTES, StandardCharsets.ISO_8859_1))) {
			return false;
		}
		connection.skip(first.length);
		connection.write(new byte[] { (byte) ACKNOWLEDGEMENT });
		return true;
	}

	/**
	 * Takes a datagram from a pending (or retired) probe's abstract name, and sends it back.
	 */
	@Override
	public boolean interceptDatagram(@Nullable AFUNIXSocketAddress from, ByteBuffer payload,
			Consumer<byte[]> reply) {
		if (!anyKnown() || from == null || !from.isInAbstractNamespace() || !isKnown(nameOf(from))) {
			return false;
		}
		byte[] echo = new byte[payload.remaining()];
		payload.get(echo);
		reply.accept(echo);
		return true;
	}

	/**
	 * Active only while a probe is pending or retired.
	 */
	@Override
	public boolean isActive() {
		return anyKnown();
	}

	private boolean anyKnown() {
		return !this.pending.isEmpty() || !this.retired.isEmpty();
	}

	private boolean isKnown(String key) {
		if (this.pending.contains(key)) {
			return true;
		}
		Long until = this.retired.get(key);
		return until != null && System.nanoTime() - until < 0;
	}

	/** Ends a probe; one that was not answered is remembered for a while. */
	private void finish(String key, boolean answered) {
		if (!answered) {
			long now = System.nanoTime();
			if (this.retired.size() >= MAX_RETIRED) {
				this.retired.values().removeIf((until) -> now - until >= 0);
			}
			if (this.retired.size() < MAX_RETIRED) {
				this.retired.put(key, now + RETIRED_FOR.toNanos());
			}
		}
		else if (!this.retired.isEmpty()) {
			long now = System.nanoTime();
			this.retired.values().removeIf((until) -> now - until >= 0);
		}
		this.pending.remove(key);
	}

	/**
	 * Probes a stream listener: connects, writes its token, and waits for the container to accept
	 * the connection and acknowledge it. A connection closed without the acknowledgement was not
	 * served (refused at max-connections, or the listener is stopping).
	 * @param target the listener's address
	 * @param timeout how long the whole probe may take
	 * @param tls the client side of a TLS listener's handshake, or {@code null} for none
	 * @return the outcome
	 */
	public ProbeResult probeStream(ListenerAddress target, Duration timeout, @Nullable SSLContext tls) {
		byte[] token = new byte[TOKEN_BYTES];
		RANDOM.nextBytes(token);
		String name = new String(token, StandardCharsets.ISO_8859_1);
		this.pending.add(name);
		long start = System.nanoTime();
		ProbeResult result;
		boolean connected = false;
		String unserved = "the listener closed the connection unserved (at max-connections?)";
		try (Socket socket = (target instanceof UdsAddress) ? AFUNIXSocket.newInstance() : new Socket()) {
			socket.connect(socketAddress(target), remainingMillis(start, timeout));
			connected = true;
			socket.setSoTimeout(remainingMillis(start, timeout));
			Socket channel = (tls != null) ? secure(socket, tls) : socket;
			channel.getOutputStream().write(token);
			channel.setSoTimeout(remainingMillis(start, timeout));
			result = (channel.getInputStream().read() == ACKNOWLEDGEMENT)
					? ProbeResult.answered(Duration.ofNanos(System.nanoTime() - start)) : ProbeResult.failed(unserved);
		}
		catch (SocketTimeoutException ex) {
			result = ProbeResult.failed("no answer within " + timeout.toMillis() + " ms");
		}
		catch (IOException | RuntimeException ex) {
			// closed with the token unread, the connection is reset
			result = ProbeResult.failed(connected ? unserved + ": " + ex.getMessage()
					: "cannot connect: " + ex.getMessage());
		}
		finish(name, result.answered());
		return result;
	}

	/** Runs the client side of the TLS handshake on a connected socket; closing either closes both. */
	private static Socket secure(Socket socket, SSLContext tls) throws IOException {
		InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
		SSLSocket secured = (SSLSocket) tls.getSocketFactory()
			.createSocket(socket, peer.getHostString(), peer.getPort(), true);
		secured.startHandshake();
		return secured;
	}

	private static SocketAddress socketAddress(ListenerAddress target) throws IOException {
		return (target instanceof UdsAddress uds) ? uds.toSocketAddress() : ((TcpAddress) target).toSocketAddress();
	}

	/**
	 * Probes a datagram listener: sends a datagram of random bytes, and waits for the container to
	 * send it back.
	 * @param target the listener's address
	 * @param timeout how long the whole probe may take
	 * @return the outcome
	 */
	public ProbeResult probeDatagram(UdsAddress target, Duration timeout) {
		String name = NAME_PREFIX + Long.toUnsignedString(RANDOM.nextLong(), 36);
		this.pending.add(name);
		long start = System.nanoTime();
		byte[] token = new byte[TOKEN_BYTES];
		RANDOM.nextBytes(token);
		ProbeResult result = exchange(name, token, target, timeout, start);
		finish(name, result.answered());
		return result;
	}

	private ProbeResult exchange(String name, byte[] token, UdsAddress target, Duration timeout, long start) {
		try (AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open()) {
			channel.bind(AFUNIXSocketAddress.inAbstractNamespace(name));
			channel.socket().setSoTimeout(remainingMillis(start, timeout));
			if (channel.send(ByteBuffer.wrap(token), target.toSocketAddress()) < token.length) {
				return ProbeResult.failed("the listener's queue stayed full for " + timeout.toMillis() + " ms");
			}
			ByteBuffer reply = ByteBuffer.allocate(token.length + 1);
			while (true) {
				channel.socket().setSoTimeout(remainingMillis(start, timeout));
				reply.clear();
				AFUNIXSocketAddress from = channel.receive(reply);
				reply.flip();
				if (from == null && reply.remaining() == 0) {
					// what junixsocket returns when a receive times out
					return ProbeResult.failed("no answer within " + timeout.toMillis() + " ms");
				}
				if (reply.equals(ByteBuffer.wrap(token))) {
					return ProbeResult.answered(Duration.ofNanos(System.nanoTime() - start));
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return ProbeResult.failed("no answer within " + timeout.toMillis() + " ms");
		}
		catch (IOException | RuntimeException ex) {
			return ProbeResult.failed("cannot send: " + ex.getMessage());
		}
	}

	private static int remainingMillis(long start, Duration timeout) throws SocketTimeoutException {
		long remaining = timeout.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis();
		if (remaining <= 0) {
			throw new SocketTimeoutException();
		}
		return (int) Math.min(Integer.MAX_VALUE, remaining);
	}

	/** The abstract name without its leading NUL, and without the NUL padding junixsocket may add. */
	private static String nameOf(AFUNIXSocketAddress address) {
		byte[] bytes = address.getPathAsBytes();
		int end = bytes.length;
		while (end > 1 && bytes[end - 1] == 0) {
			end--;
		}
		return new String(Arrays.copyOfRange(bytes, Math.min(1, end), end), StandardCharsets.ISO_8859_1);
	}

	/**
	 * The outcome of a probe.
	 *
	 * @param answered whether the container answered
	 * @param detail how long it took, or why it failed
	 */
	public record ProbeResult(boolean answered, String detail) {

		static ProbeResult answered(Duration took) {
			return new ProbeResult(true, String.format(java.util.Locale.ROOT, "answered in %.1f ms",
					took.toNanos() / 1_000_000.0));
		}

		static ProbeResult failed(String why) {
			return new ProbeResult(false, why);
		}

	}

}
