package dev.udsboot.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import dev.udsboot.framing.Framing;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.socket.FileModes;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.UdsAddress;

/**
 * Builds {@link UdsListenerDefinition}s for tests, starting from {@link UdsListenerDefaults}.
 */
public final class TestListeners {

	private String name = "test";

	private UdsAddress address;

	private Framing framing = UdsListenerDefaults.FRAMING;

	private int maxMessageSize = UdsListenerDefaults.MAX_MESSAGE_SIZE;

	private SocketFileOptions socketFile = SocketFileOptions.defaults();

	private int backlog = UdsListenerDefaults.BACKLOG;

	private int maxConnections = UdsListenerDefaults.MAX_CONNECTIONS;

	private Duration idleTimeout = UdsListenerDefaults.IDLE_TIMEOUT;

	private UdsListenerType type = UdsListenerDefaults.TYPE;

	private int concurrency = UdsListenerDefaults.CONCURRENCY;

	private int maxFileDescriptors = UdsListenerDefaults.MAX_FILE_DESCRIPTORS;

	private TestListeners(UdsAddress address) {
		this.address = address;
	}

	/**
	 * Starts a definition for a filesystem socket.
	 * @param path the socket path
	 * @return the builder
	 */
	public static TestListeners at(Path path) {
		return new TestListeners(UdsAddress.ofPath(path));
	}

	/**
	 * Starts a definition for an abstract socket.
	 * @param name the abstract name
	 * @return the builder
	 */
	public static TestListeners abstractName(String name) {
		return new TestListeners(UdsAddress.ofAbstractName(name));
	}

	public TestListeners name(String name) {
		this.name = name;
		return this;
	}

	public TestListeners framing(Framing framing) {
		this.framing = framing;
		return this;
	}

	public TestListeners maxMessageSize(int maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
		return this;
	}

	public TestListeners fileMode(String mode) {
		this.socketFile = new SocketFileOptions(FileModes.parse(mode), this.socketFile.fileGroup(),
				this.socketFile.createDirectories(), this.socketFile.directoryMode());
		return this;
	}

	public TestListeners socketFile(SocketFileOptions socketFile) {
		this.socketFile = socketFile;
		return this;
	}

	public TestListeners backlog(int backlog) {
		this.backlog = backlog;
		return this;
	}

	public TestListeners maxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
		return this;
	}

	public TestListeners idleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
		return this;
	}

	/** Makes a datagram listener. */
	public TestListeners datagram() {
		this.type = UdsListenerType.DATAGRAM;
		return this;
	}

	public TestListeners concurrency(int concurrency) {
		this.concurrency = concurrency;
		return this;
	}

	public TestListeners maxFileDescriptors(int maxFileDescriptors) {
		this.maxFileDescriptors = maxFileDescriptors;
		return this;
	}

	public UdsListenerDefinition build() {
		return new UdsListenerDefinition(this.name, this.type, this.address, this.framing, this.maxMessageSize,
				this.socketFile, this.backlog, this.maxConnections, this.idleTimeout, Set.of(), Set.of(),
				this.maxFileDescriptors, UdsListenerDefaults.CHARSET, this.concurrency, UdsListenerDefaults.ACTIVATION,
				null, false);
	}

}
