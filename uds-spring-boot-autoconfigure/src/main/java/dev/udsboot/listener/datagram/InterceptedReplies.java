package dev.udsboot.listener.datagram;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.listener.UdsListenerInterceptor;

/**
 * The replies to a datagram that the container's {@link UdsListenerInterceptor} took, sent to its
 * sender uncounted. The interceptor is asked while the receiving thread holds the socket, so what
 * it replies then waits until {@link #send()}, called once that thread has let go of it; a reply
 * given later is sent at once.
 */
final class InterceptedReplies implements Consumer<byte[]> {

	private final @Nullable AFUNIXSocketAddress to;

	private final DatagramSender sender;

	private @Nullable List<byte[]> deferred = new ArrayList<>(1);

	private InterceptedReplies(@Nullable AFUNIXSocketAddress to, DatagramSender sender) {
		this.to = to;
		this.sender = sender;
	}

	/**
	 * Asks an interceptor whether it takes a datagram.
	 * @param interceptor the container's interceptor
	 * @param from the sender's address
	 * @param datagram the datagram, positioned at its bytes; left as it is
	 * @param sender sends the replies
	 * @return the replies to send with {@link #send()} if it was taken, or {@code null} if it
	 * goes to the handlers
	 */
	static @Nullable InterceptedReplies intercept(UdsListenerInterceptor interceptor,
			@Nullable AFUNIXSocketAddress from, ByteBuffer datagram, DatagramSender sender) {
		if (!interceptor.isActive()) {
			return null;
		}
		InterceptedReplies replies = new InterceptedReplies(from, sender);
		return interceptor.interceptDatagram(from, datagram.asReadOnlyBuffer(), replies) ? replies : null;
	}

	@Override
	public void accept(byte[] reply) {
		synchronized (this) {
			List<byte[]> waiting = this.deferred;
			if (waiting != null) {
				waiting.add(reply);
				return;
			}
		}
		deliver(reply);
	}

	/** Sends the replies given so far; later ones are sent at once. */
	void send() {
		List<byte[]> waiting;
		synchronized (this) {
			waiting = this.deferred;
			this.deferred = null;
		}
		if (waiting != null) {
			waiting.forEach(this::deliver);
		}
	}

	private void deliver(byte[] reply) {
		if (this.to != null) {
			this.sender.sendUncounted(this.to, reply);
		}
	}

}
