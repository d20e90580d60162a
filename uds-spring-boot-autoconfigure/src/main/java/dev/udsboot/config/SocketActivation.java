package dev.udsboot.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.udsboot.UdsStartupException;
import dev.udsboot.listener.UdsListenerActivation;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.listener.source.ListenerSocketSource;
import dev.udsboot.listener.source.PassedSocketSource;
import dev.udsboot.socket.PassedSocket;
import dev.udsboot.socket.PassedSockets;
import dev.udsboot.socket.SocketKind;
import dev.udsboot.socket.UdsAddress;

/**
 * Which listener serves which socket passed by systemd (socket activation). A listener whose
 * {@code activation} is not {@code off} takes the passed socket named after it
 * ({@code FileDescriptorName=}) or bound at its address; one that finds none binds its own socket,
 * unless its activation is {@code required}. Everything that cannot work fails startup here, before
 * any socket is used: a socket of the wrong kind, a socket named after a listener but bound
 * elsewhere, two sockets for one listener, a required socket not passed. Passed sockets no listener
 * takes are reported in one WARN line.
 */
public final class SocketActivation {

	private static final Log logger = LogFactory.getLog(SocketActivation.class);

	private static final SocketActivation NONE = new SocketActivation(Map.of());

	private final Map<String, PassedSocket> byListener;

	private SocketActivation(Map<String, PassedSocket> byListener) {
		this.byListener = Collections.unmodifiableMap(byListener);
	}

	/**
	 * Returns the assignment of a process that was passed no socket.
	 * @return every listener binds its own socket
	 */
	public static SocketActivation none() {
		return NONE;
	}

	/**
	 * Assigns the passed sockets to the listeners.
	 * @param passed the sockets systemd passed
	 * @param listeners the configured listeners
	 * @param managementSocket the management socket's path, which no passed socket may be, or
	 * {@code null} if there is none
	 * @return the assignment
	 * @throws UdsStartupException if a listener cannot serve what was passed for it, or a
	 * required socket was not passed
	 */
	public static SocketActivation assign(PassedSockets passed, UdsListenerDefinitions listeners,
			@Nullable Path managementSocket) {
		Map<String, PassedSocket> byListener = new LinkedHashMap<>();
		for (UdsListenerDefinition listener : listeners) {
			PassedSocket socket = find(passed, listener);
			if (socket != null) {
				byListener.put(listener.name(), socket);
			}
		}
		if (managementSocket != null) {
			checkNotManagementSocket(passed, managementSocket);
		}
		List<PassedSocket> unclaimed = new ArrayList<>(passed.sockets());
		unclaimed.removeAll(byListener.values());
		if (!unclaimed.isEmpty()) {
			logger.warn("systemd passed " + unclaimed.size() + " socket(s) that no listener takes: "
					+ unclaimed.stream().map(PassedSocket::describe).collect(Collectors.joining(", "))
					+ ". They stay open, unused. A listener takes a passed socket named after it (FileDescriptorName=) "
					+ "or bound at its path or abstract-name, unless its activation is off.");
		}
		return new SocketActivation(byListener);
	}

	private static @Nullable PassedSocket find(PassedSockets passed, UdsListenerDefinition listener) {
		UdsAddress address = listener.udsAddress();
		if (listener.activation() == UdsListenerActivation.OFF) {
			return null;
		}
		if (address == null) {
			checkNoneNamedAfter(passed, listener);
			return null;
		}
		Set<PassedSocket> candidates = new LinkedHashSet<>();
		for (PassedSocket socket : passed.sockets()) {
			if (socket.name().equals(listener.name()) || socket.isBoundAt(address)) {
				candidates.add(socket);
			}
		}
		if (candidates.size() > 1) {
			throw new UdsStartupException("Listener '" + listener.name() + "' matches " + candidates.size()
					+ " sockets passed by systemd: "
					+ candidates.stream().map(PassedSocket::describe).collect(Collectors.joining(", ")) + ".",
					"Pass one socket for it: one named '" + listener.name() + "' (FileDescriptorName=) or bound at "
							+ listener.address() + ", not both.");
		}
		if (candidates.isEmpty()) {
			if (listener.activation() == UdsListenerActivation.REQUIRED) {
				throw new UdsStartupException("Listener '" + listener.name() + "' has " + listener.propertyPrefix()
						+ "activation=required, but systemd passed no socket named '" + listener.name()
						+ "' or bound at " + listener.address() + " (" + describe(passed) + ").",
						"Pass it from the application's socket unit (" + unitLine(listener) + listener.address()
								+ ", FileDescriptorName=" + listener.name() + ") and start the application through "
								+ "that unit (or systemd-socket-activate), or set " + listener.propertyPrefix()
								+ "activation=auto to bind the socket itself when none is passed.");
			}
			return null;
		}
		PassedSocket socket = candidates.iterator().next();
		checkKind(listener, socket);
		if (!socket.isBoundAt(address)) {
			throw new UdsStartupException("Listener '" + listener.name() + "' is at " + listener.address() + " ("
					+ addressProperty(listener) + "), but the socket systemd passed for it is elsewhere: "
					+ socket.describe() + ".",
					"Make " + addressProperty(listener) + " and the socket unit's " + unitLine(listener)
							+ " the same address: clients, health probes and UdsTemplate use the property.");
		}
		return socket;
	}

	/**
	 * A TCP listener binds its own port: a socket named after it would otherwise be left unused,
	 * and the listener's bind would fail on the port systemd holds, or succeed on another.
	 */
	private static void checkNoneNamedAfter(PassedSockets passed, UdsListenerDefinition listener) {
		for (PassedSocket socket : passed.sockets()) {
			if (socket.name().equals(listener.name())) {
				throw new UdsStartupException("Listener '" + listener.name() + "' is a TCP listener, but systemd passed "
						+ socket.describe() + " for it: a TCP listener opens its own port and takes no socket passed "
						+ "by systemd.",
						"Remove the socket from the socket unit, or give it another FileDescriptorName= if it is meant "
								+ "for something else; " + listener.propertyPrefix() + "host and "
								+ listener.propertyPrefix() + "port say where the listener listens.");
			}
		}
	}

	private static void checkKind(UdsListenerDefinition listener, PassedSocket socket) {
		SocketKind needed = (listener.type() == UdsListenerType.DATAGRAM) ? SocketKind.UNIX_DATAGRAM
				: SocketKind.UNIX_STREAM_LISTENING;
		if (socket.kind() != needed) {
			throw new UdsStartupException("Listener '" + listener.name() + "' (a "
					+ listener.type().name().toLowerCase(java.util.Locale.ROOT) + " listener) cannot serve "
					+ socket.describe() + ", passed by systemd: it needs " + needed.description() + ".",
					"Pass it with " + unitLine(listener) + " in the socket unit"
							+ ((listener.type() == UdsListenerType.STREAM) ? " (and Accept=no)" : "")
							+ ", give that socket another FileDescriptorName= if it is meant for something else, or set "
							+ listener.propertyPrefix() + "activation=off.");
		}
	}

	private static void checkNotManagementSocket(PassedSockets passed, Path managementSocket) {
		for (PassedSocket socket : passed.sockets()) {
			if (socket.isBoundAt(UdsAddress.ofPath(managementSocket))) {
				throw new UdsStartupException("The management socket " + managementSocket
						+ " (uds.management.path) was passed by systemd as " + socket.describe()
						+ ", but it cannot be served from a passed socket: its HTTP server, Tomcat, takes an inherited "
						+ "socket only on descriptor 0 (System.inheritedChannel()).",
						"Remove it from the socket unit: the starter creates the management socket itself, with "
								+ "uds.management.file-mode and file-group, and removes it on shutdown.");
			}
		}
	}

	private static String unitLine(UdsListenerDefinition listener) {
		return (listener.type() == UdsListenerType.DATAGRAM) ? "ListenDatagram=" : "ListenStream=";
	}

	private static String addressProperty(UdsListenerDefinition listener) {
		UdsAddress address = listener.udsAddress();
		return listener.propertyPrefix() + ((address != null && address.isAbstract()) ? "abstract-name" : "path");
	}

	private static String describe(PassedSockets passed) {
		if (passed.isEmpty()) {
			return passed.origin();
		}
		return "passed: " + passed.sockets().stream().map(PassedSocket::describe).collect(Collectors.joining(", "));
	}

	/**
	 * Returns where a listener's socket comes from: the socket systemd passed for it, or the
	 * listener's own path or abstract name.
	 * @param listener the listener
	 * @return its source
	 */
	public ListenerSocketSource sourceFor(UdsListenerDefinition listener) {
		PassedSocket passed = this.byListener.get(listener.name());
		return (passed != null) ? new PassedSocketSource(listener.name(), listener.propertyPrefix(), passed,
				propertiesThatDoNotApply(listener)) : listener.newSocketSource();
	}

	/** The socket settings a user set that a socket made by systemd ignores. */
	private static List<String> propertiesThatDoNotApply(UdsListenerDefinition listener) {
		List<String> properties = new ArrayList<>(listener.socketFile().propertiesOtherThanDefaults());
		if (listener.backlog() != UdsListenerDefaults.BACKLOG) {
			properties.add("backlog");
		}
		return properties;
	}

}
