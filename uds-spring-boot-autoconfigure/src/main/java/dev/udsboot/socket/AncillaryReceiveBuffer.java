package dev.udsboot.socket;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFUNIXSocket;

/**
 * Gives a socket an ancillary receive buffer that holds the most descriptors one message can carry
 * (the kernel's {@code SCM_MAX_FD}, 253).
 * <p>
 * Why not junixsocket's {@code setAncillaryReceiveBufferSize}: in 2.11 it takes the smaller of the
 * requested size and its platform minimum, so the buffer is always 256 bytes, room for 60
 * descriptors. With 61 or more in one message the read fails ("No buffer space available"), the
 * message's bytes are lost and the descriptors that arrived stay open with nobody to close them.
 * So the buffer is set through junixsocket's package-private setter. If a later junixsocket
 * removes it, the public setter is used and a warning says what is lost.
 */
public final class AncillaryReceiveBuffer {

	/** {@code CMSG_SPACE(253 * 4)} is 1,032 bytes; this leaves room for credentials too. */
	static final int SIZE = 2048;

	private static final Log logger = LogFactory.getLog(AncillaryReceiveBuffer.class);

	private static final @Nullable Setter SETTER = Setter.find();

	private AncillaryReceiveBuffer() {
	}

	/**
	 * Sets the socket's ancillary receive buffer to hold 253 descriptors.
	 * @param socket a connected socket
	 */
	public static void enable(AFUNIXSocket socket) {
		if (SETTER != null) {
			try {
				SETTER.set(socket, SIZE);
				return;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not set the ancillary buffer through junixsocket's internals", ex);
			}
		}
		socket.setAncillaryReceiveBufferSize(SIZE);
	}

	private record Setter(Method getImpl, Field support, Method setSize) {

		static @Nullable Setter find() {
			try {
				Method getImpl = AFSocket.class.getDeclaredMethod("getAFImpl");
				getImpl.setAccessible(true);
				Field support = Class.forName("org.newsclub.net.unix.AFSocketImpl")
					.getDeclaredField("ancillaryDataSupport");
				support.setAccessible(true);
				Method setSize = support.getType().getDeclaredMethod("setAncillaryReceiveBufferSize0", int.class);
				setSize.setAccessible(true);
				return new Setter(getImpl, support, setSize);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.warn("This junixsocket has no way to enlarge its ancillary buffer: a message carrying more than "
						+ "60 descriptors will fail to read and its descriptors will leak (" + ex + ")");
				return null;
			}
		}

		void set(AFUNIXSocket socket, int size) throws ReflectiveOperationException {
			this.setSize.invoke(this.support.get(this.getImpl.invoke(socket)), size);
		}

	}

}
