package dev.udsboot.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketCapability;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;

/**
 * A lock on one socket path, held while something at the path is checked and moved aside, so
 * that a binder never moves away a socket another binder has just published (which would let a
 * third binder publish too: two winners).
 * <p>
 * The lock is a datagram socket bound to an abstract name derived from the path's directory
 * (device and inode) and file name: binding it is atomic, every thread and process on the machine
 * (in the same network namespace) sees it, the kernel releases it when its holder exits (even on
 * SIGKILL), and nothing is created in the filesystem. A datagram socket, because binding a stream
 * socket to a taken abstract name makes junixsocket probe-connect to it, which blocks once the
 * holder's backlog is full. Where the abstract namespace is not supported, a lock within this JVM
 * is used instead.
 */
final class SocketPathLock implements Closeable {

	private static final String NAME_PREFIX = "dev.udsboot/lock/";

	private static final long RETRY_MILLIS = 2;

	private static final ReentrantLock jvmLock = new ReentrantLock();

	private final @Nullable AFUNIXDatagramSocket socket;

	private SocketPathLock(@Nullable AFUNIXDatagramSocket socket) {
		this.socket = socket;
	}

	/**
	 * Takes the lock on a socket path, waiting for another holder to release it.
	 * @param path the socket path
	 * @param timeout how long to wait
	 * @return the lock, released by {@link #close()}
	 * @throws IOException if the directory cannot be examined or the lock not taken in time
	 */
	static SocketPathLock acquire(Path path, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!AFUNIXSocket.supports(AFUNIXSocketCapability.CAPABILITY_ABSTRACT_NAMESPACE)) {
			try {
				if (!jvmLock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw timedOut(path, timeout);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted waiting for the lock on " + path);
			}
			return new SocketPathLock(null);
		}
		AFUNIXSocketAddress name = AFUNIXSocketAddress.inAbstractNamespace(nameOf(path));
		while (true) {
			AFUNIXDatagramSocket socket = AFUNIXDatagramSocket.newInstance();
			try {
				socket.bind(name);
				return new SocketPathLock(socket);
			}
			catch (AddressAlreadyInUseSocketException ex) {
				socket.close();
			}
			catch (IOException | RuntimeException ex) {
				socket.close();
				throw ex;
			}
			if (System.nanoTime() > deadline) {
				throw timedOut(path, timeout);
			}
			try {
				Thread.sleep(RETRY_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted waiting for the lock on " + path);
			}
		}
	}

	private static IOException timedOut(Path path, Duration timeout) {
		return new IOException("another instance has been checking " + path + " for more than " + timeout);
	}

	private static String nameOf(Path path) throws IOException {
		Path parent = path.getParent();
		Object directory = Files.readAttributes(parent, BasicFileAttributes.class).fileKey();
		String identity = ((directory != null) ? directory : parent.toRealPath()) + "/" + path.getFileName();
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
			return NAME_PREFIX + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		if (this.socket != null) {
			this.socket.close();
		}
		else {
			jvmLock.unlock();
		}
	}

}
