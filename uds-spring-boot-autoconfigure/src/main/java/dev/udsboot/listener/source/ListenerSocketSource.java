package dev.udsboot.listener.source;

import java.net.ServerSocket;
import java.net.Socket;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;

import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;

/**
 * Where a listener's socket comes from. A container asks its source for a socket when it starts
 * and closes it when it stops; what else the socket offers depends on the source: a
 * {@link SocketFileSource} binds a path and owns its socket file, an {@link AbstractNameSource}
 * binds a Linux abstract name and has no file, a {@link PassedSocketSource} adopts a socket
 * systemd passed, a {@link TcpSource} listens on a TCP port. The containers do not depend on which.
 */
public interface ListenerSocketSource {

	/**
	 * Opens a listening stream socket.
	 * @param binder creates a Unix domain server socket, binds it at the address it is given and
	 * listens; a source of another kind binds its own
	 * @return the socket, listening
	 * @throws dev.udsboot.UdsStartupException naming the listener and its properties, if it cannot
	 * be opened
	 */
	ListenerSocket<? extends ServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder);

	/**
	 * Wraps a connection accepted on the socket this source opened.
	 * @param accepted the connection, in blocking mode
	 * @return the connection as the container uses it
	 */
	default ConnectionSocket connectionSocket(Socket accepted) {
		return new UnixConnectionSocket((AFUNIXSocket) accepted);
	}

	/**
	 * Returns the address clients reach the open socket at, when it is only known once open (a
	 * TCP port 0 becomes a free port).
	 * @return the address, or {@code null} for the listener's own
	 */
	default @Nullable ListenerAddress boundAddress() {
		return null;
	}

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
	 * @return the file, or {@code null} if this source has none (the default) or no socket is open
	 */
	default @Nullable BoundSocketFile<?> socketFile() {
		return null;
	}

	/**
	 * Says what is wrong with the socket file through which clients reach the open socket: while
	 * it is deleted or replaced, new clients cannot connect.
	 * @return {@code null} while the file is in place (or the socket has no file), else what
	 * happened to it, e.g. {@code the socket file /run/app/echo.sock was deleted}
	 */
	default @Nullable String socketFileProblem() {
		return null;
	}

}
