package dev.udsboot.sample.benchmark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The benchmark's baseline: a hand-written junixsocket echo server, as one would write it without
 * the starter. One platform thread per connection, a {@link BufferedReader} reading LF-terminated
 * lines and a {@link BufferedWriter} echoing each line plus {@code '\n'}, flushed per line. No
 * Spring.
 * <p>
 * Usage: {@code RawEchoServer <socket path> [platform|virtual]}; prints {@code READY} once it is
 * listening. {@code virtual} (JDK 21+) serves each connection on a virtual thread instead, to
 * measure junixsocket on virtual threads against platform threads (see the README);
 * {@code descriptors} receives the descriptors sent with each line and closes them.
 */
public final class RawEchoServer {

	/** The same listen backlog as the starter's default. */
	private static final int BACKLOG = 128;

	private RawEchoServer() {
	}

	/**
	 * Serves until the process is killed.
	 * @param args the socket path
	 * @throws IOException if the socket cannot be bound
	 */
	public static void main(String[] args) throws IOException {
		if (args.length < 1 || args.length > 3) {
			System.err.println("usage: RawEchoServer <socket path> [platform|virtual] [descriptors]");
			System.exit(2);
		}
		boolean virtual = args.length >= 2 && args[1].equals("virtual");
		boolean descriptors = args.length == 3 && args[2].equals("descriptors");
		File path = new File(args[0]);
		AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
		server.bind(AFUNIXSocketAddress.of(path), BACKLOG);
		System.out.println("READY");
		System.out.flush();
		long ids = 0;
		while (true) {
			AFUNIXSocket socket = server.accept();
			Runnable task = () -> serve(socket, descriptors);
			if (virtual) {
				startVirtual(task);
			}
			else {
				new Thread(task, "raw-echo-" + (++ids)).start();
			}
		}
	}

	/** {@code Thread.startVirtualThread(task)}, called reflectively: the project compiles for Java 17. */
	private static void startVirtual(Runnable task) {
		try {
			Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("virtual threads need JDK 21 or later", ex);
		}
	}

	private static void serve(AFUNIXSocket socket, boolean descriptors) {
		if (descriptors) {
			// junixsocket's own buffer: 60 descriptors, enough for one per message
			socket.setAncillaryReceiveBufferSize(256);
		}
		try (socket;
				BufferedReader in = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter out = new BufferedWriter(
						new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (descriptors) {
					FileDescriptor[] received = socket.getReceivedFileDescriptors();
					if (received != null) {
						for (FileDescriptor descriptor : received) {
							new FileInputStream(descriptor).close();
						}
					}
				}
				out.write(line);
				out.write('\n');
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client went away; nothing to do for a benchmark baseline
		}
	}

}
