package dev.udsboot.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.fail;

/**
 * Stands in for systemd's end of {@code NOTIFY_SOCKET}: a {@code python3} process binds a datagram
 * socket at a path or an {@code @abstract} name with {@code SO_PASSCRED} on, and prints each
 * notification with the sender's pid from its {@code SCM_CREDENTIALS} (the kernel's, which a
 * sender cannot forge). Optionally, on {@code READY=1} or {@code STOPPING=1} it connects at once to
 * a stream socket and reports whether that succeeded, so that a test knows whether a listener
 * accepted at the moment the notification arrived, not some time later. A missing python3 fails
 * the test.
 */
public final class NotifyReceiver implements AutoCloseable {

	private static final String SCRIPT = """
			import json, socket, struct, sys
			address, connect = sys.argv[1], sys.argv[2]
			s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
			s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
			s.bind('\\0' + address[1:] if address.startswith('@') else address)
			print(json.dumps({'bound': True}), flush=True)
			credentials = struct.calcsize('3i')
			while True:
			    data, ancillary, flags, sender = s.recvmsg(65536, socket.CMSG_SPACE(credentials))
			    event = {'pid': None, 'data': data.decode('utf-8', 'replace')}
			    for level, kind, payload in ancillary:
			        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
			            event['pid'] = struct.unpack('3i', payload[:credentials])[0]
			    lines = event['data'].split('\\n')
			    if connect and ('READY=1' in lines or 'STOPPING=1' in lines):
			        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
			        try:
			            client.connect(connect)
			            event['connect'] = 'ok'
			        except OSError as ex:
			            event['connect'] = str(ex)
			        finally:
			            client.close()
			    print(json.dumps(event), flush=True)
			""";

	private final Process process;

	private final Thread reader;

	private final List<Notification> notifications = new CopyOnWriteArrayList<>();

	private final CountDownLatch bound = new CountDownLatch(1);

	private final String address;

	private NotifyReceiver(String address, @Nullable Path connectTo) throws IOException {
		this.address = address;
		List<String> command = new ArrayList<>(List.of(RequiredTools.require("python3"), "-u", "-c", SCRIPT, address,
				(connectTo != null) ? connectTo.toString() : ""));
		this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		this.reader = new Thread(this::read, "notify-receiver");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Binds a receiver.
	 * @param address a socket path, or {@code @name} for the abstract namespace
	 * @return the receiver, bound
	 */
	public static NotifyReceiver bind(String address) {
		return bind(address, null);
	}

	/**
	 * Binds a receiver that, on {@code READY=1} and {@code STOPPING=1}, connects to a stream socket.
	 * @param address a socket path, or {@code @name} for the abstract namespace
	 * @param connectTo the stream socket to connect to, or {@code null}
	 * @return the receiver, bound
	 */
	public static NotifyReceiver bind(String address, @Nullable Path connectTo) {
		try {
			NotifyReceiver receiver = new NotifyReceiver(address, connectTo);
			if (!receiver.bound.await(20, TimeUnit.SECONDS)) {
				receiver.close();
				fail("python3 did not bind " + address);
			}
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns the address as {@code NOTIFY_SOCKET} spells it.
	 * @return the address
	 */
	public String address() {
		return this.address;
	}

	private void read() {
		JsonMapper json = new JsonMapper();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				JsonNode event = json.readTree(line);
				if (event.has("bound")) {
					this.bound.countDown();
					continue;
				}
				this.notifications.add(new Notification(event.get("pid").isNull() ? -1 : event.get("pid").asLong(),
						event.get("data").asString(), event.has("connect") ? event.get("connect").asString() : null,
						System.nanoTime()));
			}
		}
		catch (IOException ex) {
			// the process was destroyed
		}
	}

	/**
	 * Returns every notification received so far, oldest first.
	 * @return the notifications
	 */
	public List<Notification> notifications() {
		return List.copyOf(this.notifications);
	}

	/**
	 * Counts the notifications that have a line, e.g. {@code WATCHDOG=1}.
	 * @param line the line
	 * @return how many have it
	 */
	public long count(String line) {
		return this.notifications.stream().filter((notification) -> notification.has(line)).count();
	}

	/**
	 * Waits for a notification with a line.
	 * @param line e.g. {@code READY=1}
	 * @param within how long to wait
	 * @return the first notification with it
	 */
	public Notification await(String line, Duration within) {
		Predicate<Notification> has = (notification) -> notification.has(line);
		Awaitility.await().atMost(within).until(() -> this.notifications.stream().anyMatch(has));
		return this.notifications.stream().filter(has).findFirst().orElseThrow();
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			this.reader.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * One datagram received.
	 *
	 * @param pid the sender's pid from {@code SCM_CREDENTIALS}, or {@code -1} if none came
	 * @param data the datagram's text
	 * @param connect on {@code READY=1} and {@code STOPPING=1} with a socket to connect to:
	 * {@code ok}, or why the connection failed; {@code null} otherwise
	 * @param receivedNanos {@link System#nanoTime()} when the test saw it
	 */
	public record Notification(long pid, String data, @Nullable String connect, long receivedNanos) {

		/**
		 * Tells whether the datagram has a line.
		 * @param line e.g. {@code READY=1}
		 * @return {@code true} if it has
		 */
		public boolean has(String line) {
			return this.data.lines().anyMatch(line::equals);
		}

		/**
		 * Returns the value of a {@code KEY=value} line.
		 * @param key e.g. {@code STATUS}
		 * @return the value, or {@code null} if there is no such line
		 */
		public @Nullable String value(String key) {
			return this.data.lines()
				.filter((line) -> line.startsWith(key + "="))
				.map((line) -> line.substring(key.length() + 1))
				.findFirst()
				.orElse(null);
		}

	}

}
