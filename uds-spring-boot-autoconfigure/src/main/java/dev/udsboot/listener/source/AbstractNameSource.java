package dev.udsboot.listener.source;

import java.io.Closeable;
import java.io.IOException;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AddressAlreadyInUseSocketException;

import dev.udsboot.UdsStartupException;
import dev.udsboot.socket.SocketFileBinder.DatagramOpener;
import dev.udsboot.socket.SocketFileBinder.PrivateSocketBinder;
import dev.udsboot.socket.UdsAddress;

/**
 * A socket bound at a Linux abstract name: no file, nothing to remove, gone with the socket.
 */
public final class AbstractNameSource implements ListenerSocketSource {

	private static final Closeable NOT_WATCHED = () -> {
	};

	private final String listenerName;

	private final String propertyPrefix;

	private final UdsAddress address;

	/**
	 * Creates a source.
	 * @param listenerName the listener's name, for failure messages
	 * @param propertyPrefix the prefix of the listener's properties, e.g. {@code uds.listeners.echo.}
	 * @param address an abstract address
	 */
	public AbstractNameSource(String listenerName, String propertyPrefix, UdsAddress address) {
		if (!address.isAbstract()) {
			throw new IllegalArgumentException("Not an abstract name: " + address);
		}
		this.listenerName = listenerName;
		this.propertyPrefix = propertyPrefix;
		this.address = address;
	}

	@Override
	public ListenerSocket<AFUNIXServerSocket> openServerSocket(PrivateSocketBinder<AFUNIXServerSocket> binder) {
		return open(binder);
	}

	@Override
	public ListenerSocket<AFUNIXDatagramChannel> openDatagramChannel(DatagramOpener opener) {
		return open((socketAddress) -> {
			AFUNIXDatagramChannel channel = opener.open();
			try {
				channel.bind(socketAddress);
				return channel;
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		});
	}

	private <S extends Closeable> ListenerSocket<S> open(PrivateSocketBinder<S> binder) {
		try {
			return ListenerSocket.owned(binder.bind(this.address.toSocketAddress()), null, NOT_WATCHED);
		}
		catch (AddressAlreadyInUseSocketException ex) {
			throw new UdsStartupException("Listener '" + this.listenerName + "' could not bind the abstract name '"
					+ this.address.abstractName() + "' (" + this.propertyPrefix
					+ "abstract-name): another socket holds it.",
					"Stop the process that holds it (`ss -xlp | grep @" + this.address.abstractName()
							+ "` names it), or set " + this.propertyPrefix + "abstract-name to another name.",
					ex);
		}
		catch (IOException ex) {
			throw new UdsStartupException("Listener '" + this.listenerName + "' could not bind " + this.address
					+ ": " + ex.getMessage(), "Check " + this.propertyPrefix + "abstract-name.", ex);
		}
	}

	@Override
	public String toString() {
		return this.address.toString();
	}

}
