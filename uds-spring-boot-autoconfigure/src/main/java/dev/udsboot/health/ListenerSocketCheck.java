package dev.udsboot.health;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFiles;

/**
 * The part of a listener's health that needs no probe: it is running, and its socket file (if it
 * has one) is still the one it bound. The {@code uds} health indicator starts with it, and the
 * systemd watchdog uses it alone where Actuator is absent, so that both judge a listener alike.
 * Needs no Spring Boot health classes.
 */
public final class ListenerSocketCheck {

	private ListenerSocketCheck() {
	}

	/**
	 * Checks a listener.
	 * @param container the listener's container
	 * @return {@code null} if it runs on its own socket; otherwise why not (e.g. {@code the socket
	 * file /run/app/echo.sock was deleted})
	 */
	public static @Nullable String problem(UdsListenerContainer container) {
		if (!container.isRunning()) {
			return "the listener is stopped";
		}
		if (container.getDefinition().address().path() == null) {
			return null;
		}
		BoundSocketFile<?> file = container.getSource().socketFile();
		if (file == null) {
			return "the listener has no socket file";
		}
		if (file.isStillOurs()) {
			return null;
		}
		try {
			if (SocketFiles.kindOf(file.path()) == SocketFiles.Kind.MISSING) {
				return "the socket file " + file.path() + " was deleted";
			}
		}
		catch (IOException ex) {
			return "the socket file " + file.path() + " cannot be examined: " + ex.getMessage();
		}
		return "the socket file " + file.path() + " was replaced by another file";
	}

}
