package dev.udsboot.sample.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.client.UdsTemplate;
import dev.udsboot.socket.UdsAddress;

/**
 * The performance benchmark: 64-byte line ping-pong against the sample app's {@code echo} listener
 * (the starter) and, in the same run, against {@link RawEchoServer} (hand-written junixsocket,
 * thread per connection, buffered, line framing), at 1, 4 and 64 concurrent connections; then the
 * scale scenario (the starter at 4 connections with 2,000 idle connections held open, and all
 * 2,000 still served afterwards). Results are ratios against the baseline measured in the same run.
 * <p>
 * Run it with {@code mvn -B -q -pl sample-app -am verify -DskipTests -Pbenchmark}. Both servers are
 * child processes started with this JVM, the same flags and the same class path; the clients are
 * threads of this process, one junixsocket connection each, and are the same for both servers.
 * Measurements alternate between the servers (raw, starter, starter, raw, ...) so drift on a shared
 * machine affects both alike; each figure is the median of the rounds.
 * <p>
 * System properties (seconds unless noted): {@code bench.warmup} (2), {@code bench.measure} (5),
 * {@code bench.rounds} (3), {@code bench.jitWarmup} (5, each server once before the first round), {@code bench.concurrency} (1,4,64), {@code bench.idle} (2000 idle
 * connections), {@code bench.scaleConnections} (4), {@code bench.xmx} (1g, the servers' heap),
 * {@code bench.startTimeout} (120), {@code bench.descriptors} (false: one descriptor with every
 * message), {@code bench.datagram} (false: datagrams against the {@code events} listener instead),
 * {@code bench.template} (false: the client side instead, hand-written clients against one shared
 * {@code UdsTemplate} on the {@code echo} listener; use with {@code -Dbench.concurrency=1,16}),
 * {@code bench.tcp} (false: the same {@code echo} handler over its Unix domain socket and over TCP
 * on the loopback address, ratios TCP / UDS), {@code bench.observations} (false: the sample app
 * with Observations on and off, ratios on / off).
 * <p>
 * Exit status: 0 when the run completed, whether or not the targets were reached (it is a
 * measurement); 1 when a check failed: a wrong echo, a server that did not start, idle
 * connections not served.
 */
public final class EchoBenchmark {

	static final int MESSAGE_SIZE = 64;

	static final double TARGET = 0.90;

	private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

	private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

	private static final int CLIENT_READ_TIMEOUT_MILLIS = 30_000;

	private final Duration warmup = Duration.ofMillis(millis("bench.warmup", "2"));

	private final Duration measure = Duration.ofMillis(millis("bench.measure", "5"));

	private final Duration jitWarmup = Duration.ofMillis(millis("bench.jitWarmup", "5"));

	private final int rounds = Integer.getInteger("bench.rounds", 3);

	private final int[] concurrencies = Arrays.stream(System.getProperty("bench.concurrency", "1,4,64").split(","))
		.map(String::trim)
		.mapToInt(Integer::parseInt)
		.toArray();

	private final int idleConnections = Integer.getInteger("bench.idle", 2000);

	private final int scaleConnections = Integer.getInteger("bench.scaleConnections", 4);

	private final String serverHeap = System.getProperty("bench.xmx", "1g");

	/** Threads of the raw server: platform (the baseline) or virtual (to measure them, JDK 21+). */
	private final String rawThreads = System.getProperty("bench.rawThreads", "platform");

	/** Whether each message carries one descriptor (the starter's echo-descriptors listener). */
	static final boolean DESCRIPTORS = Boolean.getBoolean("bench.descriptors");

	/**
	 * Whether the workload is datagrams: each client a bound datagram socket sending 64-byte
	 * datagrams to the sample app's {@code events} listener and waiting for its {@code ACK}, against
	 * {@link RawDatagramServer}. There are no connections, so no scale phase.
	 */
	static final boolean DATAGRAM = Boolean.getBoolean("bench.datagram");

	/**
	 * Whether the client side is measured instead: the sample app's {@code echo} listener serves
	 * both, driven by hand-written junixsocket clients ("raw") and by one
	 * {@link dev.udsboot.client.UdsTemplate} shared by the client threads ("starter"). No raw
	 * server, no scale phase.
	 */
	static final boolean TEMPLATE = Boolean.getBoolean("bench.template");

	/**
	 * Whether the transport is measured instead: the sample app's {@code echo} handler over its Unix
	 * domain socket (the "uds" role, where "raw" is otherwise) and over TCP on the loopback address
	 * ({@code echo-tcp}, the "tcp" role), with the same client code (a {@code java.net.Socket}
	 * each) in the same run. One server; no scale phase; the ratios are TCP / UDS.
	 */
	static final boolean TCP = Boolean.getBoolean("bench.tcp");

	/**
	 * Whether the cost of Observations is measured instead: two sample apps, the same handler and
	 * client code, one without Observations (the "off" role, where "raw" is otherwise) and one with
	 * {@code uds.observations.enabled=true} (the "on" role: a timer per message through Actuator's
	 * meter registry). No scale phase; the ratios are on / off.
	 */
	static final boolean OBSERVATIONS = Boolean.getBoolean("bench.observations");

	/** Which server the scale phase loads with idle connections: starter or raw. */
	private final String scaleServer = System.getProperty("bench.scaleServer", "starter");

	private final Duration startTimeout = Duration.ofMillis(millis("bench.startTimeout", "120"));

	private final List<Process> children = new ArrayList<>();

	private Path dir;

	private EchoBenchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param args none
	 */
	public static void main(String[] args) {
		EchoBenchmark benchmark = new EchoBenchmark();
		Runtime.getRuntime().addShutdownHook(new Thread(benchmark::cleanUp, "bench-cleanup"));
		int status;
		try {
			benchmark.run();
			status = 0;
		}
		catch (CheckFailedException ex) {
			System.out.println();
			System.out.println("CHECK FAILED: " + ex.getMessage());
			status = 1;
		}
		catch (Exception ex) {
			System.out.println();
			System.out.println("CHECK FAILED: the benchmark could not complete: " + ex);
			ex.printStackTrace(System.out);
			status = 1;
		}
		System.out.flush();
		System.exit(status);
	}

	private void run() throws Exception {
		this.dir = Files.createTempDirectory("uds-bench-");
		Server raw = new Server("raw", this.dir.resolve("raw.sock"), null);
		Server starter = new Server("starter", this.dir.resolve(starterListener() + ".sock"), null);
		if (starter.socket.toString().length() > 100) {
			throw new CheckFailedException("socket path too long for a Unix domain socket: " + starter.socket
					+ " (set -Djava.io.tmpdir to a shorter directory)");
		}
		String classpath = System.getProperty("java.class.path");
		int tcpPort = TCP ? freePort() : 0;
		starter.process = start(starter, classpath, "dev.udsboot.sample.SampleApplication",
				"--uds.sample.dir=" + this.dir, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--uds.sample.tcp-port=" + tcpPort, "--uds.observations.enabled=" + OBSERVATIONS);
		if (OBSERVATIONS) {
			// two sample apps, one handler: the "raw" role is the one without Observations
			Server on = new Server("on", starter.socket, null);
			on.process = starter.process;
			on.log = starter.log;
			starter = on;
			Path off = Files.createDirectories(this.dir.resolve("off"));
			raw = new Server("off", off.resolve("echo.sock"), null);
			raw.process = start(raw, classpath, "dev.udsboot.sample.SampleApplication", "--uds.sample.dir=" + off,
					"--spring.main.banner-mode=off", "--logging.level.root=WARN", "--uds.management.path=");
		}
		else if (TCP) {
			// one server, one handler, two transports: the "raw" role is its Unix domain socket
			raw = new Server("uds", starter.socket, null);
			raw.process = starter.process;
			raw.log = starter.log;
			Server tcp = new Server("tcp", starter.socket,
					new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort));
			tcp.process = starter.process;
			tcp.log = starter.log;
			starter = tcp;
		}
		else if (TEMPLATE) {
			// one server, two clients: the raw role is the hand-written client on the same listener
			raw = new Server("raw", starter.socket, null);
			raw.process = starter.process;
		}
		else {
			raw.process = DATAGRAM ? start(raw, classpath, RawDatagramServer.class.getName(), raw.socket.toString())
					: start(raw, classpath, RawEchoServer.class.getName(), raw.socket.toString(), this.rawThreads,
							DESCRIPTORS ? "descriptors" : "none");
		}
		printHeader(raw, starter);
		awaitReady(raw);
		awaitReady(starter);
		System.out.println("Both servers are serving (raw pid " + raw.process.pid() + ", starter pid "
				+ starter.process.pid() + ")");
		jitWarmup(raw, starter);
		System.out.println();

		List<Comparison> comparisons = new ArrayList<>();
		for (int connections : this.concurrencies) {
			Comparison comparison = new Comparison(connections);
			for (int round = 0; round < this.rounds; round++) {
				Server[] order = (round % 2 == 0) ? new Server[] { raw, starter } : new Server[] { starter, raw };
				for (Server server : order) {
					Trial trial = runTrial(server, connections);
					((server == raw) ? comparison.raw : comparison.starter).add(trial);
					progress(server.name, connections, round, trial, "");
				}
			}
			comparisons.add(comparison);
		}

		Scale scale = (DATAGRAM || TEMPLATE || TCP || OBSERVATIONS) ? null : runScale(this.scaleServer.equals("raw") ? raw : starter);

		printResults(comparisons, scale);
	}

	/**
	 * Runs both fresh servers, unrecorded, before the first measurement, so the starter's longer
	 * code path is compiled before round 1 as the raw server's is.
	 */
	private void jitWarmup(Server raw, Server starter) throws Exception {
		if (this.jitWarmup.isZero()) {
			return;
		}
		for (Server server : new Server[] { raw, starter }) {
			runTrial(server, 4, this.jitWarmup, Duration.ofMillis(1));
		}
		System.out.println("Warmed up both servers (" + seconds(this.jitWarmup) + " s each at 4 connections)");
	}

	// ---------------------------------------------------------------- child processes

	private Process start(Server server, String classpath, String mainClass, String... args) throws IOException {
		String java = ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> command = new ArrayList<>(serverJvm(java));
		command.add("-classpath");
		command.add(classpath);
		command.add(mainClass);
		command.addAll(Arrays.asList(args));
		server.log = this.dir.resolve(server.name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(server.log.toFile())
			.start();
		synchronized (this.children) {
			this.children.add(process);
		}
		return process;
	}

	/** The server JVMs' command line up to the class path: identical for both servers. */
	private List<String> serverJvm(String java) {
		return List.of(java, NATIVE_ACCESS, "-Xmx" + this.serverHeap);
	}

	private void awaitReady(Server server) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			if (!server.process.isAlive()) {
				throw new CheckFailedException("the " + server.name + " server exited with status "
						+ server.process.exitValue() + " before serving; its output:\n" + tail(server.log));
			}
			if (Files.exists(server.socket)) {
				try (Client probe = new Client(server, 0)) {
					probe.pingPong();
					return;
				}
				catch (IOException ex) {
					last = ex;
				}
			}
			Thread.sleep(100);
		}
		throw new CheckFailedException("the " + server.name + " server did not serve " + server.socket + " within "
				+ this.startTimeout.toSeconds() + " s (last error: " + last + "); its output:\n" + tail(server.log));
	}

	private void cleanUp() {
		List<Process> processes;
		synchronized (this.children) {
			processes = new ArrayList<>(this.children);
		}
		for (Process process : processes) {
			process.destroy();
		}
		for (Process process : processes) {
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
			}
		}
		if (this.dir != null) {
			try (Stream<Path> paths = Files.walk(this.dir)) {
				paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
			}
			catch (IOException | UncheckedIOException ex) {
				// best effort
			}
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	// ---------------------------------------------------------------- one measurement

	/**
	 * Ping-pong on {@code connections} fresh connections: every client warms up, then counts and
	 * times the round trips that lie entirely inside the measurement window.
	 */
	private Trial runTrial(Server server, int connections) throws Exception {
		return runTrial(server, connections, this.warmup, this.measure);
	}

	private Trial runTrial(Server server, int connections, Duration warmup, Duration measure) throws Exception {
		List<Client> clients = new ArrayList<>(connections);
		UdsTemplate template = (TEMPLATE && server.name.equals("starter"))
				? UdsTemplate.builder(UdsAddress.ofPath(server.socket))
					.maxConnections(Math.max(64, connections))
					.timeout(Duration.ofMillis(CLIENT_READ_TIMEOUT_MILLIS))
					.build()
				: null;
		try {
			for (int i = 0; i < connections; i++) {
				clients.add(new Client(server, i, template));
			}
			AtomicReference<Throwable> failure = new AtomicReference<>();
			CountDownLatch ready = new CountDownLatch(connections);
			CountDownLatch go = new CountDownLatch(1);
			long[] window = new long[2];
			List<Thread> threads = new ArrayList<>(connections);
			for (Client client : clients) {
				Thread thread = new Thread(() -> {
					ready.countDown();
					try {
						go.await();
						client.run(window[0], window[1], failure);
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
				}, "bench-client-" + client.index);
				thread.setDaemon(true);
				threads.add(thread);
				thread.start();
			}
			ready.await();
			long start = System.nanoTime();
			window[0] = start + warmup.toNanos();
			window[1] = window[0] + measure.toNanos();
			go.countDown(); // happens-before: the clients see the window
			sleepUntil(window[0]);
			Duration cpuBefore = cpu(server.process.toHandle());
			Duration clientCpuBefore = cpu(ProcessHandle.current());
			sleepUntil(window[1]);
			Duration cpuAfter = cpu(server.process.toHandle());
			Duration clientCpuAfter = cpu(ProcessHandle.current());
			for (Thread thread : threads) {
				thread.join(CLIENT_READ_TIMEOUT_MILLIS + 5_000L);
				if (thread.isAlive()) {
					failure.compareAndSet(null, new IOException(thread.getName() + " did not finish"));
				}
			}
			Throwable failed = failure.get();
			if (failed instanceof CheckFailedException check) {
				throw check;
			}
			if (failed != null) {
				throw new CheckFailedException("ping-pong with the " + server.name + " server at " + connections
						+ " connection(s) failed: " + failed, failed);
			}
			return Trial.of(clients, measure.toNanos(), cpuBefore, cpuAfter, clientCpuBefore, clientCpuAfter);
		}
		finally {
			for (Client client : clients) {
				client.close();
			}
		}
	}

	private static Duration cpu(ProcessHandle process) {
		return process.info().totalCpuDuration().orElse(null);
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long remaining;
		while ((remaining = nanoTime - System.nanoTime()) > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
	}

	// ---------------------------------------------------------------- scale scenario

	/**
	 * The starter at {@link #scaleConnections} with and without {@link #idleConnections} idle
	 * connections held open, alternating (without, with, with, without, without, with, ...) so both
	 * figures come from the same stretch of the run; every idle set is checked to be served before
	 * it is closed.
	 */
	private Scale runScale(Server starter) throws Exception {
		System.out.println();
		System.out.println("Scale: the " + starter.name + " server at " + this.scaleConnections + " connections without and with "
				+ this.idleConnections + " idle connections held open");
		Scale scale = new Scale();
		List<Client> idle = null;
		try {
			for (int round = 0; round < this.rounds; round++) {
				boolean[] order = (round % 2 == 0) ? new boolean[] { false, true } : new boolean[] { true, false };
				for (boolean withIdle : order) {
					if (withIdle && idle == null) {
						idle = openIdle(starter);
					}
					if (!withIdle && idle != null) {
						scale.verify(verifyIdle(idle));
						closeAll(idle);
						idle = null;
					}
					Trial trial = runTrial(starter, this.scaleConnections);
					(withIdle ? scale.withIdle : scale.withoutIdle).add(trial);
					progress(starter.name, this.scaleConnections, round, trial,
							withIdle ? " with " + this.idleConnections + " idle" : " without idle");
				}
			}
			if (idle != null) {
				scale.verify(verifyIdle(idle));
			}
		}
		finally {
			if (idle != null) {
				closeAll(idle);
			}
		}
		return scale;
	}

	/** Opens the idle connections, then proves the server has accepted all of them. */
	private List<Client> openIdle(Server server) throws IOException {
		long start = System.nanoTime();
		List<Client> idle = new ArrayList<>(this.idleConnections);
		try {
			for (int i = 0; i < this.idleConnections; i++) {
				idle.add(new Client(server, i));
			}
			// the acceptor takes connections in order: once a later connection is served, every
			// idle one has been accepted and handed its thread
			try (Client probe = new Client(server, -1)) {
				probe.pingPong();
			}
		}
		catch (IOException ex) {
			closeAll(idle);
			String hint = String.valueOf(ex.getMessage()).contains("Too many open files")
					? "; this process and the starter each need a descriptor per connection: raise the hard limit "
							+ "(ulimit -Hn) above " + (this.idleConnections + 500)
					: "";
			throw new CheckFailedException("could not open " + this.idleConnections + " idle connections (opened "
					+ idle.size() + "): " + ex + hint, ex);
		}
		System.out.printf(Locale.ROOT, "  opened %d idle connections in %.1f s%n", idle.size(),
				(System.nanoTime() - start) / 1e9);
		return idle;
	}

	/** Sends one line on every idle connection, then reads every echo; returns how many were right. */
	private static int verifyIdle(List<Client> idle) {
		int sent = 0;
		for (Client client : idle) {
			try {
				client.send();
				sent++;
			}
			catch (IOException ex) {
				client.broken = true;
			}
		}
		int served = 0;
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLIENT_READ_TIMEOUT_MILLIS);
		for (Client client : idle) {
			if (client.broken) {
				continue;
			}
			try {
				// one deadline for all: a server that serves none must not cost 2,000 timeouts
				long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				client.socket.setSoTimeout((int) Math.max(1, remaining));
				if (client.receiveAndCheck()) {
					served++;
				}
			}
			catch (IOException ex) {
				client.broken = true;
			}
		}
		System.out.printf(Locale.ROOT, "  idle connections served: %d/%d (sent on %d)%n", served, idle.size(), sent);
		return served;
	}

	private static void closeAll(List<Client> clients) {
		for (Client client : clients) {
			client.close();
		}
	}

	// ---------------------------------------------------------------- output

	private static String starterListener() {
		return DATAGRAM ? "events" : DESCRIPTORS ? "echo-descriptors" : "echo";
	}

	private void printHeader(Server raw, Server starter) {
		System.out.println("== uds-spring-boot echo benchmark ==");
		System.out.println("JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
				+ Runtime.getRuntime().availableProcessors() + " CPU(s)");
		System.out.println("Servers: " + String.join(" ", serverJvm("java")) + " -classpath <test classpath> ...");
		if (OBSERVATIONS) {
			System.out.println("Observation mode: two sample apps, the 'echo' listener, the same client code for both");
			System.out.println("  off = uds.observations.enabled=false, on " + raw.socket);
			System.out.println("  on  = uds.observations.enabled=true (a uds.message timer per message), on "
					+ starter.socket);
		}
		else if (TCP) {
			System.out.println("Transport mode: the sample-app 'echo' handler, the same client code for both");
			System.out.println("  uds = its 'echo' listener on " + raw.socket);
			System.out.println("  tcp = its 'echo-tcp' listener on " + starter.tcp + " (loopback, TCP_NODELAY)");
		}
		else if (TEMPLATE) {
			System.out.println("Client mode: both against the sample-app 'echo' listener on " + starter.socket);
			System.out.println("  raw     = hand-written junixsocket clients, one connection per thread");
			System.out.println("  starter = one UdsTemplate (pooled) shared by the client threads");
		}
		else {
			System.out.println("  raw     = " + (DATAGRAM ? RawDatagramServer.class.getSimpleName()
					: RawEchoServer.class.getSimpleName() + " (" + this.rawThreads + " threads)") + " on " + raw.socket);
			System.out.println("  starter = sample-app '" + starterListener() + "' listener on " + starter.socket);
		}
		System.out.printf(Locale.ROOT,
				"Workload: %d-byte %s, %s %s, warm-up %s s + measure %s s per run, %d rounds "
						+ "alternating the two; figures are medians of the rounds%n",
				MESSAGE_SIZE, DATAGRAM ? "datagram request, ACK reply" : "line ping-pong",
				DATAGRAM ? "clients" : "connections", Arrays.toString(this.concurrencies), seconds(this.warmup),
				seconds(this.measure), this.rounds);
		if (!DATAGRAM && !TEMPLATE && !TCP && !OBSERVATIONS) {
			System.out.printf(Locale.ROOT,
					"Scale: %d idle connections; the starter at %d connections with and without them%n",
					this.idleConnections, this.scaleConnections);
		}
		System.out.println();
	}

	private static void progress(String server, int connections, int round, Trial trial, String suffix) {
		System.out.printf(Locale.ROOT, "  %3d conn round %d %-7s %10.0f rt/s  p50 %7.1f us  p99 %8.1f us  %s%s%n",
				connections, round + 1, server, trial.roundTripsPerSecond, trial.p50Micros, trial.p99Micros,
				cpuPerRoundTrip(trial), suffix);
	}

	private static String cpuPerRoundTrip(Trial trial) {
		return "cpu/rt server " + orNa(trial.serverCpuMicrosPerRoundTrip, "%5.1f") + " us, client "
				+ orNa(trial.clientCpuMicrosPerRoundTrip, "%5.1f") + " us";
	}

	private void printResults(List<Comparison> comparisons, Scale scale) {
		System.out.println();
		String rawLabel = TCP ? "uds" : OBSERVATIONS ? "off" : "raw";
		String starterLabel = TCP ? "tcp" : OBSERVATIONS ? "on" : "starter";
		System.out.println("== Results (median of " + this.rounds + " rounds; ratio = " + starterLabel + " / " + rawLabel
				+ ") ==");
		System.out.println();
		String line = "-------+---------+--------------+-----------+-----------+-------------------";
		System.out.println(" conns | server  |    rt/s      |  p50 (us) |  p99 (us) | server CPU us/rt");
		System.out.println(line);
		for (Comparison c : comparisons) {
			row(c.connections, rawLabel, c.raw);
			row(c.connections, starterLabel, c.starter);
			System.out.printf(Locale.ROOT, " %5d | ratio   | %12.3f | %9.3f | %9.3f | %s%n", c.connections,
					c.throughputRatio(), Stats.median(c.starter, t -> t.p50Micros) / Stats.median(c.raw, t -> t.p50Micros),
					Stats.median(c.starter, t -> t.p99Micros) / Stats.median(c.raw, t -> t.p99Micros),
					ratioOrNa(Stats.median(c.starter, t -> t.serverCpuMicrosPerRoundTrip),
							Stats.median(c.raw, t -> t.serverCpuMicrosPerRoundTrip)));
			System.out.println(line);
		}
		if (TCP || OBSERVATIONS) {
			System.out.println();
			System.out.println(TCP ? "== TCP / UDS (a measurement: the seed says Unix sockets are faster) =="
					: "== Observations on / off (a measurement: they stay off by default if they cost more than 5%) ==");
			for (Comparison c : comparisons) {
				System.out.printf(Locale.ROOT, "%3d connection(s): round trips %.3f, server CPU per round trip %s%n",
						c.connections, c.throughputRatio(),
						ratioOrNa(Stats.median(c.starter, t -> t.serverCpuMicrosPerRoundTrip),
								Stats.median(c.raw, t -> t.serverCpuMicrosPerRoundTrip)));
			}
			return;
		}
		if (scale == null) {
			System.out.println();
			System.out.println("== Targets ==");
			for (Comparison c : comparisons) {
				target(String.format(Locale.ROOT,
						TEMPLATE ? "UdsTemplate rt/s >= %.0f%% of the raw client at %d thread(s)"
								: "starter datagrams/s >= %.0f%% of raw at %d client(s)",
						TARGET * 100, c.connections), c.throughputRatio());
			}
			return;
		}
		System.out.println();
		System.out.println("Scale (" + this.scaleServer + ", " + this.scaleConnections + " connections):");
		System.out.println(line);
		row(this.scaleConnections, "no idle", scale.withoutIdle);
		row(this.scaleConnections, "+" + this.idleConnections, scale.withIdle);
		System.out.printf(Locale.ROOT, " %5d | ratio   | %12.3f | %9.3f | %9.3f |%n", this.scaleConnections,
				scale.ratio(), Stats.median(scale.withIdle, t -> t.p50Micros) / Stats.median(scale.withoutIdle, t -> t.p50Micros),
				Stats.median(scale.withIdle, t -> t.p99Micros) / Stats.median(scale.withoutIdle, t -> t.p99Micros));
		System.out.println(line);
		System.out.printf(Locale.ROOT, "Idle connections served afterwards: %s of %d%n", scale.servedSummary(),
				this.idleConnections);
		System.out.println();
		System.out.println("== Targets ==");
		for (Comparison c : comparisons) {
			target(String.format(Locale.ROOT, "starter rt/s >= %.0f%% of raw at %d connection(s)", TARGET * 100,
					c.connections), c.throughputRatio());
		}
		target(String.format(Locale.ROOT, "starter rt/s at %d connections with %d idle >= %.0f%% of without",
				this.scaleConnections, this.idleConnections, TARGET * 100), scale.ratio());
		boolean allServed = scale.allServed(this.idleConnections);
		System.out.printf(Locale.ROOT, "%-12s all %d idle connections served afterwards (%s)%n",
				allServed ? "PASS" : "CHECK FAILED", this.idleConnections, scale.servedSummary());
		if (!allServed) {
			throw new CheckFailedException("not every idle connection was served: " + scale.servedSummary() + " of "
					+ this.idleConnections);
		}
	}

	private static void row(int connections, String server, List<Trial> trials) {
		System.out.printf(Locale.ROOT, " %5d | %-7s | %12.0f | %9.1f | %9.1f | %s%n", connections, server,
				Stats.median(trials, t -> t.roundTripsPerSecond), Stats.median(trials, t -> t.p50Micros),
				Stats.median(trials, t -> t.p99Micros), orNa(Stats.median(trials, t -> t.serverCpuMicrosPerRoundTrip)));
	}

	private static void target(String description, double ratio) {
		System.out.printf(Locale.ROOT, "%-12s %s: %.3f%n", (ratio >= TARGET) ? "PASS" : "BELOW TARGET", description,
				ratio);
	}

	private static String orNa(double value) {
		return orNa(value, "%.1f");
	}

	private static String orNa(double value, String format) {
		return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
	}

	private static String ratioOrNa(double a, double b) {
		return (Double.isNaN(a) || Double.isNaN(b)) ? "n/a" : String.format(Locale.ROOT, "%.3f", a / b);
	}

	private static String seconds(Duration duration) {
		return BigDecimalText.of(duration.toMillis() / 1000.0);
	}

	private static long millis(String property, String defaultSeconds) {
		return Math.round(Double.parseDouble(System.getProperty(property, defaultSeconds)) * 1000);
	}

	private static int freePort() throws IOException {
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return probe.getLocalPort();
		}
	}

	// ---------------------------------------------------------------- types

	/** A server child process. */
	private static final class Server {

		final String name;

		final Path socket;

		/** Where the server's TCP listener is, if it is measured over TCP. */
		final InetSocketAddress tcp;

		Process process;

		Path log;

		Server(String name, Path socket, InetSocketAddress tcp) {
			this.name = name;
			this.socket = socket;
			this.tcp = tcp;
		}

	}

	/**
	 * One client connection: writes a 64-byte line (63 bytes and {@code '\n'}), reads the 64-byte
	 * echo and checks it byte for byte. Each message carries the connection's index and a counter.
	 */
	private static final class Client implements AutoCloseable {

		private static final int COUNTER_DIGITS = 12;

		private static final byte[] ACK = "ACK".getBytes(StandardCharsets.US_ASCII);

		private static final java.util.concurrent.atomic.AtomicLong CLIENT_IDS = new java.util.concurrent.atomic.AtomicLong();

		final int index;

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		/** In datagram mode, the client's bound datagram socket and the server's address. */
		private final AFUNIXDatagramChannel datagram;

		private final AFUNIXSocketAddress server;

		private final Path datagramPath;

		private final byte[] message = new byte[MESSAGE_SIZE];

		private final byte[] reply = new byte[MESSAGE_SIZE];

		/** Sent with every message in descriptor mode; one open file per client, kept open. */
		private final java.io.FileInputStream passed;

		private long counter;

		private long[] samples = new long[1 << 14];

		private int count;

		boolean broken;

		/** In template mode, the template the client threads share, and this client's request bytes. */
		private final UdsTemplate template;

		private final byte[] request = new byte[MESSAGE_SIZE - 1];

		Client(Server target, int index) throws IOException {
			this(target, index, null);
		}

		Client(Server target, int index, UdsTemplate template) throws IOException {
			Path path = target.socket;
			this.index = index;
			this.server = AFUNIXSocketAddress.of(path);
			this.template = template;
			if (template != null || DATAGRAM) {
				// no stream connection of its own: the template's, or a bound datagram socket
				boolean datagramClient = template == null;
				this.datagramPath = datagramClient
						? path.resolveSibling("client-" + index + "-" + CLIENT_IDS.incrementAndGet() + ".sock") : null;
				this.datagram = datagramClient ? AFUNIXDatagramChannel.open() : null;
				if (datagramClient) {
					this.datagram.bind(AFUNIXSocketAddress.of(this.datagramPath));
					this.datagram.socket().setSoTimeout(CLIENT_READ_TIMEOUT_MILLIS);
				}
				this.socket = null;
				this.in = null;
				this.out = null;
				this.passed = null;
				fillMessage(index);
				return;
			}
			this.datagram = null;
			this.datagramPath = null;
			this.socket = (target.tcp != null) ? tcpConnection(target.tcp) : AFUNIXSocket.connectTo(this.server);
			this.passed = DESCRIPTORS ? new java.io.FileInputStream("/etc/hostname") : null;
			try {
				this.socket.setSoTimeout(CLIENT_READ_TIMEOUT_MILLIS);
				this.in = this.socket.getInputStream();
				this.out = this.socket.getOutputStream();
			}
			catch (IOException ex) {
				this.socket.close();
				throw ex;
			}
			fillMessage(index);
		}

		/** A TCP connection as the starter's TCP listener keeps its own: Nagle's algorithm off. */
		private static Socket tcpConnection(InetSocketAddress address) throws IOException {
			Socket socket = new Socket();
			try {
				socket.setTcpNoDelay(true);
				socket.connect(address, CLIENT_READ_TIMEOUT_MILLIS);
				return socket;
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
		}

		private void fillMessage(int index) {
			byte[] prefix = String.format(Locale.ROOT, "conn-%05d-", index).getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < MESSAGE_SIZE - 1; i++) {
				this.message[i] = (i < prefix.length) ? prefix[i] : (byte) ('a' + (i % 26));
			}
			this.message[MESSAGE_SIZE - 1] = '\n';
		}

		void run(long measureStart, long measureEnd, AtomicReference<Throwable> failure) throws IOException {
			long sent;
			while ((sent = System.nanoTime()) < measureEnd && failure.get() == null) {
				pingPong();
				long received = System.nanoTime();
				if (sent >= measureStart && received <= measureEnd) {
					record(received - sent);
				}
			}
		}

		void pingPong() throws IOException {
			if (this.template != null) {
				templatePingPong();
				return;
			}
			send();
			if (!receiveAndCheck()) {
				throw new CheckFailedException("wrong echo on connection " + this.index + ": sent \""
						+ text(this.message) + "\", received \"" + text(this.reply) + "\"");
			}
		}

		/** The same message through the template: it adds the line feed and reads one line back. */
		private void templatePingPong() {
			count();
			System.arraycopy(this.message, 0, this.request, 0, this.request.length);
			byte[] echoed = this.template.sendAndReceive(this.request, byte[].class);
			if (!Arrays.equals(this.request, echoed)) {
				throw new CheckFailedException("wrong echo through the template for client " + this.index + ": sent \""
						+ text(this.request) + "\", received \"" + text(echoed) + "\"");
			}
		}

		private void count() {
			long value = ++this.counter;
			for (int i = MESSAGE_SIZE - 2; i >= MESSAGE_SIZE - 1 - COUNTER_DIGITS; i--) {
				this.message[i] = (byte) ('0' + (value % 10));
				value /= 10;
			}
		}

		void send() throws IOException {
			count();
			if (this.datagram != null) {
				this.datagram.send(ByteBuffer.wrap(this.message), this.server);
				return;
			}
			if (this.passed != null) {
				((AFUNIXSocket) this.socket).setOutboundFileDescriptors(this.passed.getFD());
			}
			this.out.write(this.message, 0, MESSAGE_SIZE);
		}

		/** Reads exactly one message's worth of bytes; true if they are the message sent. */
		boolean receiveAndCheck() throws IOException {
			if (this.datagram != null) {
				ByteBuffer reply = ByteBuffer.wrap(this.reply);
				if (this.datagram.receive(reply) == null && reply.position() == 0) {
					throw new IOException("no reply for client " + this.index + " within "
							+ CLIENT_READ_TIMEOUT_MILLIS + " ms");
				}
				return reply.position() == ACK.length && Arrays.equals(this.reply, 0, ACK.length, ACK, 0, ACK.length);
			}
			int received = 0;
			while (received < MESSAGE_SIZE) {
				int n = this.in.read(this.reply, received, MESSAGE_SIZE - received);
				if (n < 0) {
					throw new IOException("connection " + this.index + " closed by the server after " + received
							+ " of " + MESSAGE_SIZE + " reply bytes");
				}
				received += n;
			}
			return Arrays.equals(this.message, this.reply);
		}

		private void record(long nanos) {
			if (this.count == this.samples.length) {
				this.samples = Arrays.copyOf(this.samples, this.samples.length * 2);
			}
			this.samples[this.count++] = nanos;
		}

		private static String text(byte[] bytes) {
			return new String(bytes, StandardCharsets.US_ASCII).replace("\n", "\\n").replace("\r", "\\r");
		}

		@Override
		public void close() {
			if (this.template != null) {
				return;
			}
			try {
				if (this.datagram != null) {
					this.datagram.close();
					Files.deleteIfExists(this.datagramPath);
					return;
				}
				this.socket.close();
				if (this.passed != null) {
					this.passed.close();
				}
			}
			catch (IOException ex) {
				// closing
			}
		}

	}

	/** One measurement run of one server at one concurrency. */
	private static final class Trial {

		final double roundTripsPerSecond;

		final double p50Micros;

		final double p99Micros;

		/** CPU time (user + system) of the server process per round trip, over the window. */
		final double serverCpuMicrosPerRoundTrip;

		/** The same for this (client) process, to see whether the client could be the bottleneck. */
		final double clientCpuMicrosPerRoundTrip;

		private Trial(double roundTripsPerSecond, double p50Micros, double p99Micros,
				double serverCpuMicrosPerRoundTrip, double clientCpuMicrosPerRoundTrip) {
			this.roundTripsPerSecond = roundTripsPerSecond;
			this.p50Micros = p50Micros;
			this.p99Micros = p99Micros;
			this.serverCpuMicrosPerRoundTrip = serverCpuMicrosPerRoundTrip;
			this.clientCpuMicrosPerRoundTrip = clientCpuMicrosPerRoundTrip;
		}

		static Trial of(List<Client> clients, long measureNanos, Duration cpuBefore, Duration cpuAfter,
				Duration clientCpuBefore, Duration clientCpuAfter) {
			int total = 0;
			for (Client client : clients) {
				total += client.count;
			}
			if (total == 0) {
				return new Trial(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
			}
			long[] all = new long[total];
			int position = 0;
			for (Client client : clients) {
				System.arraycopy(client.samples, 0, all, position, client.count);
				position += client.count;
			}
			Arrays.sort(all);
			return new Trial(total * (double) NANOS_PER_SECOND / measureNanos, percentile(all, 0.50) / 1000.0,
					percentile(all, 0.99) / 1000.0, perRoundTrip(cpuBefore, cpuAfter, total),
					perRoundTrip(clientCpuBefore, clientCpuAfter, total));
		}

		private static double perRoundTrip(Duration before, Duration after, int roundTrips) {
			return (before == null || after == null) ? Double.NaN : after.minus(before).toNanos() / 1000.0 / roundTrips;
		}

		/** The nearest-rank percentile of sorted samples. */
		private static long percentile(long[] sorted, double fraction) {
			int rank = (int) Math.ceil(fraction * sorted.length);
			return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
		}

	}

	/** Both servers at one concurrency. */
	private static final class Comparison {

		final int connections;

		final List<Trial> raw = new ArrayList<>();

		final List<Trial> starter = new ArrayList<>();

		Comparison(int connections) {
			this.connections = connections;
		}

		double throughputRatio() {
			return Stats.median(this.starter, t -> t.roundTripsPerSecond)
					/ Stats.median(this.raw, t -> t.roundTripsPerSecond);
		}

	}

	/** The scale scenario's figures. */
	private static final class Scale {

		final List<Trial> withoutIdle = new ArrayList<>();

		final List<Trial> withIdle = new ArrayList<>();

		final List<Integer> served = new ArrayList<>();

		void verify(int count) {
			this.served.add(count);
		}

		double ratio() {
			return Stats.median(this.withIdle, t -> t.roundTripsPerSecond)
					/ Stats.median(this.withoutIdle, t -> t.roundTripsPerSecond);
		}

		boolean allServed(int expected) {
			return !this.served.isEmpty() && this.served.stream().allMatch(n -> n == expected);
		}

		String servedSummary() {
			return this.served.isEmpty() ? "none checked"
					: String.join(", ", this.served.stream().map(String::valueOf).toList());
		}

	}

	private static final class Stats {

		static double median(List<Trial> trials, java.util.function.ToDoubleFunction<Trial> metric) {
			double[] values = trials.stream().mapToDouble(metric).filter(v -> !Double.isNaN(v)).sorted().toArray();
			if (values.length == 0) {
				return Double.NaN;
			}
			int middle = values.length / 2;
			return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
		}

	}

	private static final class BigDecimalText {

		static String of(double value) {
			return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
		}

	}

	/** A check failed: the run's figures cannot be trusted. */
	static final class CheckFailedException extends RuntimeException {

		CheckFailedException(String message) {
			super(message);
		}

		CheckFailedException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
