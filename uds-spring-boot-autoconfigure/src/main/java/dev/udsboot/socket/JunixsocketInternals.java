package dev.udsboot.socket;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.socket.JunixsocketWorkarounds.Workaround;

/**
 * Reaches what junixsocket's public API does not offer, or gets wrong for a server facing
 * untrusted clients; every use of its internals is here.
 * <ul>
 * <li>The receive buffer: junixsocket's {@code setAncillaryReceiveBufferSize} takes the smaller of
 * the requested size and its platform minimum, so the buffer is always 256 bytes, room for 60
 * descriptors. With 61 or more in one message the read fails ("No buffer space available"), the
 * message's bytes are lost and the descriptors that arrived stay open with nobody to close them.
 * Here the buffer is sized for the kernel's {@code SCM_MAX_FD} (253) through the package-private
 * setter.</li>
 * <li>Its list of received descriptors, which it closes when the socket closes, on whatever
 * thread closes it: while a handler is still using them, and in an order of locks that can
 * deadlock with a handler closing one of them. {@link ReceivedDescriptors} owns every received
 * descriptor and closes each exactly once, so they are taken off that list as they arrive.</li>
 * <li>Descriptors sent from an unconnected datagram socket: junixsocket refuses to set them ("Not
 * connected"), although {@code sendmsg} to an address carries them fine.</li>
 * <li>Disconnecting a datagram socket, which its public {@code disconnect()} does not do.</li>
 * <li>A send timeout alone ({@code SO_SNDTIMEO}): its {@code setSoTimeout} sets the receive
 * timeout too, and a datagram receive that times out returns what an empty datagram from an
 * unbound sender returns, so the two could not be told apart.</li>
 * </ul>
 * If a later junixsocket removes these internals, the public setter is used where there is one;
 * {@link JunixsocketWorkarounds} reports once which workarounds are active, and refuses to bind a
 * datagram socket file without the disconnect unless that loss was accepted. Nothing is logged
 * here when an internal is missing: one report says it all, rather than warnings at class load.
 */
final class JunixsocketInternals {

	/** junixsocket's option id for {@code SO_SNDTIMEO}. */
	private static final int SEND_TIMEOUT_OPTION = 0x1005;

	/** {@code CMSG_SPACE(253 * 4)} is 1,032 bytes; this leaves room for credentials too. */
	static final int RECEIVE_BUFFER_SIZE = 2048;

	private static final Log logger = LogFactory.getLog(JunixsocketInternals.class);

	private static final @Nullable Internals INTERNALS = Internals.find();

	/** junixsocket's class of native calls. */
	static final String NATIVE_UNIX_SOCKET = "org.newsclub.net.unix.NativeUnixSocket";

	/** The native call that sets an int socket option. */
	static final String SET_SOCKET_OPTION_INT = "setSocketOptionInt";

	/** The native call that dissolves a datagram socket's association. */
	static final String DISCONNECT_METHOD = "disconnect";

	/** junixsocket's stream socket implementation, which holds the ancillary data. */
	static final String AF_SOCKET_IMPL = "org.newsclub.net.unix.AFSocketImpl";

	/** {@code AFSocket}'s method that returns its implementation. */
	static final String GET_AF_IMPL = "getAFImpl";

	/** The implementation's field with the ancillary data. */
	static final String ANCILLARY_DATA_SUPPORT = "ancillaryDataSupport";

	/** {@code AFDatagramSocket}'s getter of its ancillary data. */
	static final String GET_ANCILLARY_DATA_SUPPORT = "getAncillaryDataSupport";

	/** The ancillary data's class. */
	static final String ANCILLARY_DATA_SUPPORT_CLASS = "org.newsclub.net.unix.AncillaryDataSupport";

	/** The ancillary data's setter of its receive buffer size that takes the size given. */
	static final String SET_RECEIVE_BUFFER_SIZE = "setAncillaryReceiveBufferSize0";

	/** The ancillary data's list of the received descriptors it closes with the socket. */
	static final String OPEN_RECEIVED = "openReceivedFileDescriptors";

	/** The ancillary data's setter of the descriptors the next write carries. */
	static final String SET_OUTBOUND = "setOutboundFileDescriptors";

	private static final @Nullable Method SET_SOCKET_OPTION = findNative(SET_SOCKET_OPTION_INT, FileDescriptor.class,
			int.class, int.class);

	private static final @Nullable Method DISCONNECT = findNative(DISCONNECT_METHOD, FileDescriptor.class);

	private JunixsocketInternals() {
	}

	/**
	 * Tells which workarounds this junixsocket lets the starter apply; {@link JunixsocketWorkarounds}
	 * reports them. A test checks that all are there on the pinned junixsocket, so an upgrade that
	 * removes an internal fails the build instead of degrading quietly.
	 * @return the workarounds whose internals resolved
	 */
	static Set<Workaround> resolved() {
		Set<Workaround> resolved = EnumSet.noneOf(Workaround.class);
		if (INTERNALS != null) {
			resolved.add(Workaround.DESCRIPTOR_RECEIVE_BUFFER);
			resolved.add(Workaround.RECEIVED_DESCRIPTOR_OWNERSHIP);
			resolved.add(Workaround.DATAGRAM_REPLY_DESCRIPTORS);
		}
		if (SET_SOCKET_OPTION != null) {
			resolved.add(Workaround.DATAGRAM_SEND_TIMEOUT);
		}
		if (DISCONNECT != null) {
			resolved.add(Workaround.DATAGRAM_BIND_GUARD);
		}
		return resolved;
	}

	/**
	 * Returns the members of junixsocket's internals that resolved, for the test that checks a
	 * native image's hints ({@link JunixsocketRuntimeHints}) cover each.
	 * @return the methods and fields reached by reflection
	 */
	static List<java.lang.reflect.Member> reachedMembers() {
		List<java.lang.reflect.Member> members = new ArrayList<>();
		if (SET_SOCKET_OPTION != null) {
			members.add(SET_SOCKET_OPTION);
		}
		if (DISCONNECT != null) {
			members.add(DISCONNECT);
		}
		Internals internals = INTERNALS;
		if (internals != null) {
			members.addAll(List.of(internals.streamImpl(), internals.support(), internals.datagramSupport(),
					internals.setSize(), internals.openReceived(), internals.setOutbound()));
		}
		return members;
	}

	/**
	 * Sets a socket's send timeout, leaving its receive timeout alone.
	 * @param descriptor the socket's descriptor
	 * @param millis the timeout
	 * @return {@code false} if junixsocket's internals are not there and no timeout was set
	 * @throws java.io.IOException if the kernel refuses it
	 */
	static boolean setSendTimeout(FileDescriptor descriptor, int millis) throws java.io.IOException {
		if (SET_SOCKET_OPTION == null) {
			return false;
		}
		try {
			SET_SOCKET_OPTION.invoke(null, descriptor, SEND_TIMEOUT_OPTION, millis);
			return true;
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			if (ex.getCause() instanceof java.io.IOException io) {
				throw io;
			}
			logger.debug("Could not set a send timeout through junixsocket's internals", ex);
			return false;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Could not set a send timeout through junixsocket's internals", ex);
			return false;
		}
	}

	/**
	 * Dissolves a datagram socket's association with its peer. junixsocket's own {@code
	 * disconnect()} goes through the JDK's datagram socket, which never passes it on to the native
	 * socket: the socket stays connected and keeps refusing every other sender.
	 * @param descriptor the socket's descriptor
	 * @throws java.io.IOException if the kernel refuses it, or junixsocket's internals are not there
	 */
	static void disconnect(FileDescriptor descriptor) throws java.io.IOException {
		if (DISCONNECT == null) {
			throw new java.io.IOException("This junixsocket cannot disconnect a datagram socket");
		}
		try {
			DISCONNECT.invoke(null, descriptor);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			if (ex.getCause() instanceof java.io.IOException io) {
				throw io;
			}
			throw new java.io.IOException("junixsocket failed to disconnect a datagram socket", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new java.io.IOException("junixsocket failed to disconnect a datagram socket", ex);
		}
	}

	private static @Nullable Method findNative(String name, Class<?>... parameterTypes) {
		try {
			Method method = Class.forName(NATIVE_UNIX_SOCKET).getDeclaredMethod(name, parameterTypes);
			method.setAccessible(true);
			return method;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// reported by JunixsocketWorkarounds; the cause is for whoever debugs an upgrade
			logger.debug("This junixsocket's native " + name + " cannot be reached", ex);
			return null;
		}
	}

	/**
	 * Makes a stream socket receive descriptors, with a receive buffer that holds 253.
	 * @param socket a connected socket
	 * @return the socket's reception; {@linkplain DescriptorReception#isOwned() owned} unless
	 * junixsocket's internals are not there
	 */
	static DescriptorReception enable(AFUNIXSocket socket) {
		if (INTERNALS != null) {
			try {
				return INTERNALS.enable(INTERNALS.support.get(INTERNALS.streamImpl.invoke(socket)));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not reach junixsocket's ancillary data", ex);
			}
		}
		socket.setAncillaryReceiveBufferSize(RECEIVE_BUFFER_SIZE);
		return DescriptorReception.publicApiOnly();
	}

	/**
	 * Makes a datagram channel receive descriptors, with a receive buffer that holds 253.
	 * @param channel a bound channel
	 * @return the channel's reception; {@linkplain DescriptorReception#isOwned() owned} unless
	 * junixsocket's internals are not there
	 */
	static DescriptorReception enable(AFUNIXDatagramChannel channel) {
		if (INTERNALS != null) {
			try {
				return INTERNALS.enable(INTERNALS.datagramSupport.invoke(channel.socket()));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not reach junixsocket's ancillary data", ex);
			}
		}
		channel.setAncillaryReceiveBufferSize(RECEIVE_BUFFER_SIZE);
		return DescriptorReception.publicApiOnly();
	}

	/**
	 * Sets the descriptors a datagram channel's next send carries, as junixsocket's own setter
	 * would if the channel were connected.
	 * @param channel the channel
	 * @param descriptors the descriptors, or {@code null} to clear them
	 * @throws IOException if a descriptor is not valid
	 * @throws UnsupportedOperationException if junixsocket's internals are not there
	 */
	static void setOutboundFileDescriptors(AFUNIXDatagramChannel channel, FileDescriptor @Nullable [] descriptors)
			throws java.io.IOException {
		if (INTERNALS == null) {
			throw new UnsupportedOperationException("This junixsocket cannot send file descriptors in datagrams");
		}
		try {
			INTERNALS.setOutbound.invoke(INTERNALS.datagramSupport.invoke(channel.socket()), (Object) descriptors);
		}
		catch (java.lang.reflect.InvocationTargetException ex) {
			if (ex.getCause() instanceof java.io.IOException io) {
				throw io;
			}
			throw new IllegalStateException("junixsocket failed to set outbound descriptors", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("junixsocket failed to set outbound descriptors", ex);
		}
	}

	/**
	 * Takes the descriptors received so far off junixsocket's list of descriptors to close with
	 * the socket; the caller has taken them with {@code getReceivedFileDescriptors} and owns them.
	 * @param reception what {@link #enable} returned; nothing is done unless it is owned
	 */
	static void forgetReceived(DescriptorReception reception) {
		Object ancillaryData = reception.ancillaryData();
		if (ancillaryData != null && INTERNALS != null) {
			try {
				((Map<?, ?>) INTERNALS.openReceived.get(ancillaryData)).clear();
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not take received descriptors off junixsocket's list", ex);
			}
		}
	}

	private record Internals(Method streamImpl, Field support, Method datagramSupport, Method setSize,
			Field openReceived, Method setOutbound) {

		static @Nullable Internals find() {
			try {
				Method streamImpl = AFSocket.class.getDeclaredMethod(GET_AF_IMPL);
				streamImpl.setAccessible(true);
				Field support = Class.forName(AF_SOCKET_IMPL).getDeclaredField(ANCILLARY_DATA_SUPPORT);
				support.setAccessible(true);
				Method datagramSupport = AFDatagramSocket.class.getDeclaredMethod(GET_ANCILLARY_DATA_SUPPORT);
				datagramSupport.setAccessible(true);
				Method setSize = support.getType().getDeclaredMethod(SET_RECEIVE_BUFFER_SIZE, int.class);
				setSize.setAccessible(true);
				Field openReceived = support.getType().getDeclaredField(OPEN_RECEIVED);
				openReceived.setAccessible(true);
				Method setOutbound = support.getType().getDeclaredMethod(SET_OUTBOUND, FileDescriptor[].class);
				setOutbound.setAccessible(true);
				return new Internals(streamImpl, support, datagramSupport, setSize, openReceived, setOutbound);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// reported by JunixsocketWorkarounds; the cause is for whoever debugs an upgrade
				logger.debug("This junixsocket's ancillary data cannot be reached", ex);
				return null;
			}
		}

		DescriptorReception enable(Object ancillaryData) throws ReflectiveOperationException {
			this.setSize.invoke(ancillaryData, RECEIVE_BUFFER_SIZE);
			return DescriptorReception.owned(ancillaryData);
		}

	}

}
