package dev.udsboot.sample.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Whether a handler that blocks (a database call, here a 5 ms sleep) is served better when the
 * connection's thread hands each call to a virtual thread and keeps reading, replies written in
 * order, than when the connection's thread calls it itself, as the starter does. The server is
 * hand-written (the starter has no hand-off), the clients the same for both: request/reply (one
 * request in flight per connection, as {@code UdsTemplate} and the seed's clients send) and
 * pipelined (8 in flight). Needs JDK 21+ (virtual threads).
 * <p>
 * Usage: {@code java -cp <test classpath> dev.udsboot.sample.benchmark.BlockingHandlerExperiment}
 * with {@code -Dbench.rounds} (5), {@code -Dbench.connections} (16), {@code -Dbench.measure} (3,
 * seconds).
 */
public final class BlockingHandlerExperiment {

	private static final long HANDLER_MILLIS = 5;

	private BlockingHandlerExperiment() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = Integer.getInteger("bench.rounds", 5);
		int connections = Integer.getInteger("bench.connections", 16);
		long measureMillis = TimeUnit.SECONDS.toMillis(Long.getLong("bench.measure", 3));
		Path dir = Files.createTempDirectory("uds-blocking-");
		System.out.printf(Locale.ROOT, "Blocking handler (%d ms) on %d connections, %d rounds of %d ms, JVM %s%n",
				HANDLER_MILLIS, connections, rounds, measureMillis, Runtime.version());
		for (int inFlight : new int[] { 1, 8 }) {
			List<Long> inline = new ArrayList<>();
			List<Long> handOff = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				for (boolean virtual : (round % 2 == 0) ? new boolean[] { false, true } : new boolean[] { true, false }) {
					Path socket = dir.resolve((virtual ? "v" : "p") + round + "-" + inFlight + ".sock");
					long perSecond = measure(socket, virtual, connections, inFlight, measureMillis);
					(virtual ? handOff : inline).add(perSecond);
				}
			}
			long a = median(inline);
			long b = median(handOff);
			System.out.printf(Locale.ROOT,
					"%d in flight per connection: on the connection's thread %d replies/s, handed to virtual "
							+ "threads %d replies/s, ratio %.2f (rounds %s / %s)%n",
					inFlight, a, b, (double) b / a, inline, handOff);
		}
		System.exit(0);
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return sorted.get(sorted.size() / 2);
	}

	private static long measure(Path socket, boolean handOff, int connections, int inFlight, long measureMillis)
			throws Exception {
		AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
		server.bind(AFUNIXSocketAddress.of(socket), 128);
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService virtualThreads = handOff ? newVirtualThreadPerTaskExecutor() : null;
		Thread acceptor = new Thread(() -> accept(server, virtualThreads, running));
		acceptor.start();
		AtomicLong replies = new AtomicLong();
		List<AFUNIXSocket> clients = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			AFUNIXSocket client = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
			clients.add(client);
			Semaphore window = new Semaphore(inFlight);
			Thread writer = new Thread(() -> {
				try {
					OutputStream out = client.getOutputStream();
					while (running.get()) {
						window.acquire();
						out.write("request\n".getBytes(StandardCharsets.US_ASCII));
						out.flush();
					}
				}
				catch (Exception ex) {
					// closed at the end
				}
			});
			Thread reader = new Thread(() -> {
				try {
					BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
							StandardCharsets.US_ASCII));
					while (in.readLine() != null) {
						replies.incrementAndGet();
						window.release();
					}
				}
				catch (IOException ex) {
					// closed at the end
				}
			});
			threads.add(writer);
			threads.add(reader);
		}
		threads.forEach(Thread::start);
		Thread.sleep(1000);
		long before = replies.get();
		Thread.sleep(measureMillis);
		long perSecond = (replies.get() - before) * 1000 / measureMillis;
		running.set(false);
		for (AFUNIXSocket client : clients) {
			client.close();
		}
		server.close();
		if (virtualThreads != null) {
			virtualThreads.shutdownNow();
		}
		for (Thread thread : threads) {
			// a writer may wait for a reply that will not come
			thread.interrupt();
			thread.join(2000);
		}
		Files.deleteIfExists(socket);
		return perSecond;
	}

	private static void accept(AFUNIXServerSocket server, ExecutorService virtualThreads, AtomicBoolean running) {
		while (running.get()) {
			try {
				AFUNIXSocket connection = server.accept();
				Thread thread = new Thread(() -> serve(connection, virtualThreads));
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/** One connection's thread: calls the handler itself, or hands each call off and keeps reading. */
	private static void serve(AFUNIXSocket connection, ExecutorService virtualThreads) {
		try (connection) {
			BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
					StandardCharsets.US_ASCII));
			OutputStream out = connection.getOutputStream();
			if (virtualThreads == null) {
				String line;
				while ((line = in.readLine()) != null) {
					out.write((handle(line) + "\n").getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				return;
			}
			// replies in request order: a writer takes the calls' results as they were read
			BlockingQueue<CompletableFuture<String>> pending = new ArrayBlockingQueue<>(64);
			Thread writer = new Thread(() -> {
				try {
					while (true) {
						String reply = pending.take().join();
						out.write((reply + "\n").getBytes(StandardCharsets.US_ASCII));
						out.flush();
					}
				}
				catch (Exception ex) {
					// the connection ended
				}
			});
			writer.setDaemon(true);
			writer.start();
			String line;
			while ((line = in.readLine()) != null) {
				String request = line;
				pending.put(CompletableFuture.supplyAsync(() -> handle(request), virtualThreads));
			}
			writer.interrupt();
		}
		catch (Exception ex) {
			// the connection ended
		}
	}

	private static String handle(String request) {
		try {
			Thread.sleep(HANDLER_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return request;
	}

	private static ExecutorService newVirtualThreadPerTaskExecutor() {
		try {
			// JDK 21+; the test sources are compiled for 17
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Virtual threads need JDK 21+", ex);
		}
	}

}
