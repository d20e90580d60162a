package dev.udsboot.socket;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * Reaches two things in junixsocket's per-socket ancillary data that its public API gets wrong
 * for a server that takes descriptors from untrusted clients.
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
 * </ul>
 * If a later junixsocket removes these internals, the public setter is used and a warning says
 * what is lost.
 */
final class JunixsocketAncillaryData {

	/** {@code CMSG_SPACE(253 * 4)} is 1,032 bytes; this leaves room for credentials too. */
	static final int RECEIVE_BUFFER_SIZE = 2048;

	private static final Log logger = LogFactory.getLog(JunixsocketAncillaryData.class);

	private static final @Nullable Internals INTERNALS = Internals.find();

	private JunixsocketAncillaryData() {
	}

	/**
	 * Returns a stream socket's ancillary data, with a receive buffer that holds 253 descriptors.
	 * @param socket a connected socket
	 * @return junixsocket's ancillary data object, or {@code null} if its internals are not there
	 */
	static @Nullable Object enable(AFUNIXSocket socket) {
		if (INTERNALS != null) {
			try {
				return INTERNALS.enable(INTERNALS.support.get(INTERNALS.streamImpl.invoke(socket)));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not reach junixsocket's ancillary data", ex);
			}
		}
		socket.setAncillaryReceiveBufferSize(RECEIVE_BUFFER_SIZE);
		return null;
	}

	/**
	 * Returns a datagram channel's ancillary data, with a receive buffer that holds 253
	 * descriptors.
	 * @param channel a bound channel
	 * @return junixsocket's ancillary data object, or {@code null} if its internals are not there
	 */
	static @Nullable Object enable(AFUNIXDatagramChannel channel) {
		if (INTERNALS != null) {
			try {
				return INTERNALS.enable(INTERNALS.datagramSupport.invoke(channel.socket()));
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not reach junixsocket's ancillary data", ex);
			}
		}
		channel.setAncillaryReceiveBufferSize(RECEIVE_BUFFER_SIZE);
		return null;
	}

	/**
	 * Takes the descriptors received so far off junixsocket's list of descriptors to close with
	 * the socket; the caller has taken them with {@code getReceivedFileDescriptors} and owns them.
	 * @param ancillaryData what {@link #enable} returned
	 */
	static void forgetReceived(@Nullable Object ancillaryData) {
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
			Field openReceived) {

		static @Nullable Internals find() {
			try {
				Method streamImpl = AFSocket.class.getDeclaredMethod("getAFImpl");
				streamImpl.setAccessible(true);
				Field support = Class.forName("org.newsclub.net.unix.AFSocketImpl")
					.getDeclaredField("ancillaryDataSupport");
				support.setAccessible(true);
				Method datagramSupport = AFDatagramSocket.class.getDeclaredMethod("getAncillaryDataSupport");
				datagramSupport.setAccessible(true);
				Method setSize = support.getType().getDeclaredMethod("setAncillaryReceiveBufferSize0", int.class);
				setSize.setAccessible(true);
				Field openReceived = support.getType().getDeclaredField("openReceivedFileDescriptors");
				openReceived.setAccessible(true);
				return new Internals(streamImpl, support, datagramSupport, setSize, openReceived);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.warn("This junixsocket's ancillary data cannot be reached: a message carrying more than 60 "
						+ "descriptors will fail to read and its descriptors will leak, and received descriptors "
						+ "are closed by junixsocket too when their socket closes (" + ex + ")");
				return null;
			}
		}

		Object enable(Object ancillaryData) throws ReflectiveOperationException {
			this.setSize.invoke(ancillaryData, RECEIVE_BUFFER_SIZE);
			return ancillaryData;
		}

	}

}
