package dev.udsboot.listener;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.socket.UdsAddress;

/**
 * Checks from inside the application that a listener serves, for its health: a connection or a
 * datagram of the starter's own goes through the listener's socket, and its container answers it
 * (closes the connection, or sends the datagram back) without handing it to a handler, an event
 * handler or the statistics.
 * <p>
 * Telling probes apart: a datagram probe comes from a socket bound to a random abstract name that
 * only this object knows. A stream probe cannot be told by its address (junixsocket neither binds
 * a client socket nor reports a connection's peer address), so it writes a random token as soon
 * as it connects; a container reads the first bytes of a connection from its own process (the
 * peer pid is the kernel's, and cannot be forged) while a probe is pending, and hands any other
 * bytes on as the connection's first. Nothing is looked up while no probe is pending, so a
 * listener pays nothing when nobody probes it.
 */
public final class ListenerProbes {

	private static final String NAME_PREFIX = "uds-probe-";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final byte[] NONE = new byte[0];

	/** Bytes of a stream probe's token. */
	static final int TOKEN_BYTES = 16;

	/** How long a container waits for the token from a connection that may be a probe. */
	private static final int TOKEN_WAIT_MILLIS = 200;

	private static final long OWN_PID = ProcessHandle.current().pid();

	/** Abstract names of pending datagram probes, and tokens of pending stream probes. */
	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	/**
	 * Tells whether a datagram comes from a pending probe.
	 * @param from the sender's address, as junixsocket reports it
	 * @return {@code true} for a probe, which the container answers and otherwise ignores
	 */
	public boolean isDatagramProbe(@Nullable AFUNIXSocketAddress from) {
		if (this.pending.isEmpty() || from == null || !from.isInAbstractNamespace()) {
			return false;
		}
		return this.pending.contains(nameOf(from));
	}

	/**
	 * Reads a stream probe's token from a connection that may be one: from this process, while a
	 * stream probe is pending. Returns at once for any other connection.
	 * @param socket the accepted connection
	 * @param peerPid the connection's peer pid, as the kernel reports it
	 * @return {@code null} for a probe, which the container closes and otherwise ignores; else the
	 * bytes read, which are the connection's first (empty if none were read)
	 * @throws IOException if reading fails
	 */
	public byte @Nullable [] readProbeToken(AFUNIXSocket socket, long peerPid) throws IOException {
		if (this.pending.isEmpty() || peerPid != OWN_PID) {
			return NONE;
		}
		int timeout = socket.getSoTimeout();
		byte[] read = new byte[TOKEN_BYTES];
		int length = 0;
		try {
			socket.setSoTimeout(TOKEN_WAIT_MILLIS);
			InputStream in = socket.getInputStream();
			while (length < TOKEN_BYTES) {
				int count = in.read(read, length, TOKEN_BYTES - length);
				if (count < 0) {
					break;
				}
				length += count;
			}
		}
		catch (SocketTimeoutException ex) {
			// not a probe: a probe writes its token at once
		}
		finally {
			socket.setSoTimeout(timeout);
		}
		if (length == TOKEN_BYTES && this.pending.contains(new String(read, StandardCharsets.ISO_8859_1))) {
			return null;
		}
		return Arrays.copyOf(read, length);
	}

	/**
	 * Probes a stream listener: connects, writes its token, and waits for the container to accept
	 * the connection and close it.
	 * @param target the listener's address
	 * @param timeout how long the whole probe may take
	 * @return the outcome
	 */
	public ProbeResult probeStream(UdsAddress target, Duration timeout) {
		byte[] token = new byte[TOKEN_BYTES];
		RANDOM.nextBytes(token);
		String name = new String(token, StandardCharsets.ISO_8859_1);
		this.pending.add(name);
		long start = System.nanoTime();
		try (AFUNIXSocket socket = AFUNIXSocket.newInstance()) {
			socket.connect(target.toSocketAddress(), remainingMillis(start, timeout));
			socket.getOutputStream().write(token);
			socket.setSoTimeout(remainingMillis(start, timeout));
			InputStream in = socket.getInputStream();
			while (in.read() != -1) {
				// a container closes a probe without writing; read to the end regardless
			}
			return ProbeResult.answered(Duration.ofNanos(System.nanoTime() - start));
		}
		catch (SocketTimeoutException ex) {
			return ProbeResult.failed("no answer within " + timeout.toMillis() + " ms");
		}
		catch (IOException | RuntimeException ex) {
			return ProbeResult.failed("cannot connect: " + ex.getMessage());
		}
		finally {
			this.pending.remove(name);
		}
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
		finally {
			this.pending.remove(name);
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
