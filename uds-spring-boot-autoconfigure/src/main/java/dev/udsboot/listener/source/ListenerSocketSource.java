package dev.udsboot.listener.source;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;

import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;

/**
 * Where a listener's socket comes from. A container asks its source for a socket when it starts
 * and closes it when it stops; what else the socket offers depends on the source: a
 * {@link SocketFileSource} binds a path and owns its socket file, an {@link AbstractNameSource}
 * binds a Linux abstract name and has no file. A socket from elsewhere (one inherited from a
 * service manager, say) is one more implementation; the containers do not change.
 */
public interface ListenerSocketSource {

	/**
	 * Opens a listening stream socket.
	 * @param binder creates a server socket, binds it at the address it is given and listens
	 * @return the socket, listening
	 * @throws dev.udsboot.UdsStartupException naming the listener and its properties, if it cannot
	 * be opened
	 */
	ListenerSocket<AFUNIXServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder);

	/**
	 * Opens a bound datagram channel.
	 * @param opener opens the channel, not yet bound
	 * @return the channel, bound
	 * @throws dev.udsboot.UdsStartupException naming the listener and its properties, if it cannot
	 * be opened
	 */
	ListenerSocket<AFUNIXDatagramChannel> openDatagramChannel(DatagramOpener opener);

	/**
	 * Returns the socket file of the socket this source opened last, while that socket is open:
	 * the file it created and removes again.
	 * @return the file, or {@code null} if this source has none or no socket is open
	 */
	@Nullable BoundSocketFile<?> socketFile();

}
