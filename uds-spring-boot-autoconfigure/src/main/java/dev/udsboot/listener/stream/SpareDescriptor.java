package dev.udsboot.listener.stream;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * One descriptor held open on {@code /dev/null} so that an acceptor can still take a connection
 * off the backlog when the process has no descriptor left: it releases the spare, accepts into
 * the slot that frees, and, if it cannot reserve the spare again, closes the connection, so the
 * client gets an end of stream at once instead of waiting in the backlog until it gives up (the
 * technique libuv calls the EMFILE trick). Thread-safe; once closed it never reopens, so it
 * cannot outlive its listener.
 */
final class SpareDescriptor implements Closeable {

	private static final Path DEV_NULL = Path.of("/dev/null");

	private final boolean available;

	private @Nullable FileChannel held;

	private boolean closed;

	/** Reserves the spare; if even that fails, the spare is unavailable and never used. */
	SpareDescriptor() {
		this.available = tryReserve();
	}

	/**
	 * Tells whether the spare could be opened at all; without it no connection is ever shed.
	 * @return {@code true} if it works
	 */
	boolean isAvailable() {
		return this.available;
	}

	/**
	 * Holds the spare, opening it if it is not held.
	 * @return {@code true} if it is held now; {@code false} if the process has no descriptor to
	 * give it, or it is closed
	 */
	synchronized boolean tryReserve() {
		if (this.closed) {
			return false;
		}
		if (this.held != null) {
			return true;
		}
		try {
			this.held = FileChannel.open(DEV_NULL, StandardOpenOption.READ);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Closes the spare, so its slot is free for the next descriptor the process opens.
	 * @return {@code true} if it was held and is released now
	 */
	synchronized boolean release() {
		FileChannel channel = this.held;
		if (channel == null) {
			return false;
		}
		this.held = null;
		try {
			channel.close();
		}
		catch (IOException ex) {
			// the kernel has released the number anyway
		}
		return true;
	}

	/** Releases the spare for good. Idempotent. */
	@Override
	public synchronized void close() {
		this.closed = true;
		release();
	}

}
