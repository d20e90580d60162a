package dev.udsboot.socket;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Opens the datagram channels a datagram listener serves on.
 */
public final class DatagramChannels {

	/** The largest send buffer a datagram listener asks for, in bytes. */
	public static final int MAX_SEND_BUFFER = 4 * 1024 * 1024;

	private static final Path WMEM_MAX = Path.of("/proc/sys/net/core/wmem_max");

	private static final Log logger = LogFactory.getLog(DatagramChannels.class);

	private DatagramChannels() {
	}

	/**
	 * Opens a second channel on the same socket (a kernel duplicate of its descriptor) to send
	 * from. Replies must leave from the listener's own socket, so that senders that connected to it
	 * accept them; but junixsocket closes the descriptor a send fails on with "connection refused"
	 * (a sender that closed its socket without removing its file), which on the listener's own
	 * channel would end the listener. A duplicate that is closed leaves the socket open.
	 * @param channel the listener's channel
	 * @return a channel to send from; replace it when a send on it fails
	 * @throws IOException if the descriptor cannot be duplicated
	 */
	public static SendingChannel duplicateForSending(AFUNIXDatagramChannel channel) throws IOException {
		FileDescriptorCast duplicate = FileDescriptorCast.duplicating(channel.getFileDescriptor());
		AFUNIXDatagramChannel sending = duplicate.as(AFUNIXDatagramChannel.class);
		// closing it must not delete the listener's socket file, which it reports as its own
		sending.setDeleteOnClose(false);
		return new SendingChannel(sending, duplicate.getFileDescriptor());
	}

	/**
	 * A channel on a duplicate of a listener's descriptor.
	 *
	 * @param channel the channel to send with
	 * @param descriptor the duplicate descriptor, which closing the channel leaves open
	 */
	public record SendingChannel(AFUNIXDatagramChannel channel, FileDescriptor descriptor) implements Closeable {

		/**
		 * Closes the channel and the duplicate descriptor, unless junixsocket already has (it
		 * closes and invalidates it after a refused send).
		 */
		@Override
		public void close() {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				logger.debug("Failed to close a sending channel", ex);
			}
			ReceivedDescriptors.close(java.util.List.of(this.descriptor));
		}

	}

	/**
	 * Returns the address a datagram came from as it can be sent to. junixsocket reports an
	 * abstract address padded with NUL bytes to the full 107, and a send to that reaches another
	 * name; the padding is removed (an abstract name that really ends in NUL bytes loses them too).
	 * @param from the address {@code receive} returned
	 * @return the address to answer
	 * @throws SocketException if junixsocket rejects it
	 */
	public static @Nullable AFUNIXSocketAddress replyAddress(@Nullable AFUNIXSocketAddress from)
			throws SocketException {
		if (from == null || !from.isInAbstractNamespace()) {
			return from;
		}
		byte[] path = from.getPathAsBytes();
		if (path.length < 2 || path[0] != 0 || path[path.length - 1] != 0) {
			return from;
		}
		int length = path.length;
		while (length > 1 && path[length - 1] == 0) {
			length--;
		}
		return AFUNIXSocketAddress.of(Arrays.copyOf(path, length));
	}

	/**
	 * Sets the descriptors the channel's next send carries. junixsocket's own setter refuses them
	 * on a channel that is not connected; a server's channel never is, and sends to each sender's
	 * address.
	 * @param channel the channel
	 * @param descriptors the descriptors, or {@code null} to clear them
	 * @throws IOException if a descriptor is not valid
	 */
	public static void setOutboundFileDescriptors(AFUNIXDatagramChannel channel,
			FileDescriptor @Nullable [] descriptors) throws IOException {
		JunixsocketInternals.setOutboundFileDescriptors(channel, descriptors);
	}

	/**
	 * Opens a blocking datagram channel, not yet bound, which never deletes a file when closed.
	 * @return the channel, to bind with {@link SocketFileBinder#bindInPlace} or to an abstract name
	 * @throws IOException if it cannot be opened
	 */
	public static AFUNIXDatagramChannel open() throws IOException {
		AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
		channel.setDeleteOnClose(false);
		return channel;
	}

	/**
	 * Prepares a listener's channel, bound here or passed by systemd, for serving: its sends give
	 * up after a timeout, as a datagram to a socket whose queue is full (its owner does not read)
	 * blocks the sender until there is room, and a server must not wait on its clients.
	 * <p>
	 * Its send buffer is made as large as the kernel lets an unprivileged process make it, up to
	 * {@value #MAX_SEND_BUFFER} bytes: a datagram sent stays charged to the sender's buffer until
	 * its receiver reads it, so every reply waiting in a client's queue takes room from the replies
	 * to all other clients. The default (about 200 KB) holds only some seventy small replies, ten
	 * per client that does not read.
	 * @param channel the listener's channel
	 * @param sendTimeout how long a send may wait for room; receives wait as long as it takes
	 * @throws IOException if the kernel refuses an option
	 */
	public static void prepareForServing(AFUNIXDatagramChannel channel, Duration sendTimeout) throws IOException {
		setSendTimeout(channel, sendTimeout);
		int sendBuffer = largestSendBuffer();
		// the kernel doubles what is asked for, for its own bookkeeping
		if (sendBuffer * 2L > channel.socket().getSendBufferSize()) {
			channel.socket().setSendBufferSize(sendBuffer);
		}
	}

	/**
	 * Sets how long a send on the channel's socket may wait for room; every channel on the same
	 * socket shares it.
	 * @param channel the channel
	 * @param sendTimeout the timeout, at least a millisecond
	 * @throws IOException if the kernel refuses it
	 */
	public static void setSendTimeout(AFUNIXDatagramChannel channel, Duration sendTimeout) throws IOException {
		if (!JunixsocketInternals.setSendTimeout(channel.getFileDescriptor(),
				(int) Math.max(1, sendTimeout.toMillis()))) {
			// every client exchange opens a channel: the loss is in JunixsocketWorkarounds' one report,
			// not in a warning per channel
			logger.debug("No send timeout on a datagram channel (junixsocket workaround datagram-send-timeout)");
		}
	}

	private static int largestSendBuffer() {
		try {
			// not Files.readString: a procfs file reports a size of 0, and that reads it short
			return (int) Math.min(MAX_SEND_BUFFER,
					Long.parseLong(Files.readAllLines(WMEM_MAX).get(0).strip()));
		}
		catch (IOException | NumberFormatException ex) {
			logger.debug("Could not read " + WMEM_MAX + "; datagram listeners keep the default send buffer", ex);
			return 0;
		}
	}

}
