package dev.udsboot.socket;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorCast;

import dev.udsboot.framing.FrameRejectedException;

/**
 * The descriptors received on one connection, tied to the bytes they arrived with, so each
 * framed message gets exactly its own.
 * <p>
 * The rule: the kernel ends a read at the latest at the end of a message that carries descriptors
 * (data sent before it may share the read, data after it does not), and hands the descriptors over
 * with that message's first byte, so a batch of descriptors belongs to the last byte of the read
 * that returned it, and a frame owns every batch whose byte it contains or precedes. A client that sends each request with one {@code sendmsg} gets its descriptors on that
 * request.
 * <p>
 * The descriptors held for a frame still being read are bounded: once they pass
 * max-file-descriptors, or one read brings more than that, the frame is rejected and all of them
 * are closed, so a client sending descriptors a byte at a time cannot fill the process's
 * descriptor table. Not thread-safe: used by the connection's thread.
 */
public final class ReceivedDescriptors {

	private final AFUNIXSocket socket;

	private final int maxPerMessage;

	private final DescriptorReception reception;

	private final Deque<Batch> batches = new ArrayDeque<>();

	private int pending;

	/**
	 * Tracks a socket's descriptors; enables its ancillary buffer.
	 * @param socket the connection's socket
	 * @param maxPerMessage the listener's max-file-descriptors
	 */
	public ReceivedDescriptors(AFUNIXSocket socket, int maxPerMessage) {
		this.socket = socket;
		this.maxPerMessage = maxPerMessage;
		this.reception = JunixsocketInternals.enable(socket);
	}

	/**
	 * Collects the descriptors of the read that just returned; call after every read.
	 * @param bytesReadSoFar the stream's total bytes read, this read included
	 * @throws FrameRejectedException if the frame being read has more descriptors than allowed;
	 * every descriptor held is closed
	 * @throws IOException if junixsocket fails
	 */
	public void afterRead(long bytesReadSoFar) throws IOException {
		FileDescriptor[] received = this.socket.getReceivedFileDescriptors();
		if (received == null || received.length == 0) {
			return;
		}
		JunixsocketInternals.forgetReceived(this.reception);
		// junixsocket hands over a fresh array: wrapped, not copied
		List<FileDescriptor> batch = Arrays.asList(received);
		// what is pending belongs to the frame being read; this batch to it or to the next one
		if (this.pending > this.maxPerMessage || received.length > this.maxPerMessage) {
			int held = this.pending + received.length;
			close(batch);
			closeRemaining();
			throw new FrameRejectedException(FrameRejectedException.Reason.TOO_MANY_DESCRIPTORS,
					"a message carried more than max-file-descriptors " + this.maxPerMessage + " ("
							+ held + " received so far); they were closed",
					null);
		}
		this.batches.add(new Batch(bytesReadSoFar - 1, batch));
		this.pending += received.length;
	}

	/**
	 * Takes the descriptors that arrived with the datagram just received on a channel; the
	 * caller owns them.
	 * @param channel the channel
	 * @param reception what {@link #enable(AFUNIXDatagramChannel)} returned for the channel, or
	 * {@link DescriptorReception#off()} if it takes no descriptors
	 * @return the descriptors, possibly none; none when reception is off
	 * @throws IOException if junixsocket fails
	 */
	public static List<FileDescriptor> takeReceived(AFUNIXDatagramChannel channel, DescriptorReception reception)
			throws IOException {
		if (!reception.isEnabled()) {
			return List.of();
		}
		FileDescriptor[] received = channel.getReceivedFileDescriptors();
		if (received == null || received.length == 0) {
			return List.of();
		}
		JunixsocketInternals.forgetReceived(reception);
		return Arrays.asList(received);
	}

	/**
	 * Makes a datagram channel receive descriptors: up to the kernel's 253 per datagram (60 if
	 * junixsocket's internals are missing, which {@link JunixsocketWorkarounds} reports).
	 * @param channel the channel
	 * @return the channel's reception, for {@link #takeReceived}; never {@link DescriptorReception#off()}
	 */
	public static DescriptorReception enable(AFUNIXDatagramChannel channel) {
		return JunixsocketInternals.enable(channel);
	}

	/**
	 * Takes the descriptors of the bytes consumed so far: those of the frame just read.
	 * @param bytesConsumed the stream position after the frame
	 * @return the frame's descriptors, in arrival order; the caller owns them
	 */
	public List<FileDescriptor> takeConsumed(long bytesConsumed) {
		if (this.batches.isEmpty() || this.batches.peekFirst().lastByte() >= bytesConsumed) {
			return List.of();
		}
		Batch first = this.batches.removeFirst();
		if (this.batches.isEmpty() || this.batches.peekFirst().lastByte() >= bytesConsumed) {
			this.pending -= first.descriptors().size();
			return first.descriptors();
		}
		List<FileDescriptor> taken = new ArrayList<>(first.descriptors());
		while (!this.batches.isEmpty() && this.batches.peekFirst().lastByte() < bytesConsumed) {
			taken.addAll(this.batches.removeFirst().descriptors());
		}
		this.pending -= taken.size();
		return taken;
	}

	/**
	 * Closes every descriptor not yet taken (those of an incomplete frame).
	 */
	public void closeRemaining() {
		while (!this.batches.isEmpty()) {
			close(this.batches.removeFirst().descriptors());
		}
		this.pending = 0;
	}

	/**
	 * Keeps a received descriptor beyond the handler: returns a duplicate (a new descriptor on the
	 * same open file, made by the kernel) that the caller owns and must close. The descriptor the
	 * handler was given is still closed by the starter when the handler returns, and the duplicate
	 * stays open after the connection closes.
	 * @param received a descriptor the handler was given
	 * @return a duplicate owned by the caller
	 * @throws IOException if it cannot be duplicated (for instance, it is already closed)
	 */
	public static FileDescriptor keep(FileDescriptor received) throws IOException {
		return FileDescriptorCast.duplicating(received).getFileDescriptor();
	}

	/**
	 * Closes descriptors that are still open. Closing goes through a stream so that junixsocket's
	 * bookkeeping forgets them and the {@link FileDescriptor} is invalidated: closing one twice, or
	 * one the handler closed, does nothing, and never closes a number reused by another file.
	 * @param descriptors the descriptors
	 */
	public static void close(Collection<FileDescriptor> descriptors) {
		for (FileDescriptor descriptor : descriptors) {
			if (descriptor.valid()) {
				try {
					new FileInputStream(descriptor).close();
				}
				catch (IOException ex) {
					// closing failed: the kernel has released the number anyway
				}
			}
		}
	}

	private record Batch(long lastByte, List<FileDescriptor> descriptors) {
	}

}
