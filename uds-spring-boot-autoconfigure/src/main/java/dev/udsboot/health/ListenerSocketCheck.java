package dev.udsboot.health;

import org.jspecify.annotations.Nullable;

import dev.udsboot.listener.UdsListenerContainer;

/**
 * The part of a listener's health that needs no probe: it is running, and the socket file clients
 * reach it through (if it has one) is still in place, as its source judges it (the file it bound,
 * or systemd's). The {@code uds} health indicator starts with it, and the systemd watchdog uses it
 * alone where Actuator is absent, so that both judge a listener alike. Needs no Spring Boot health
 * classes.
 */
public final class ListenerSocketCheck {

	private ListenerSocketCheck() {
	}

	/**
	 * Checks a listener.
	 * @param container the listener's container
	 * @return {@code null} if it runs and its socket file is in place; otherwise why not (e.g.
	 * {@code the socket file /run/app/echo.sock was deleted})
	 */
	public static @Nullable String problem(UdsListenerContainer container) {
		if (!container.isRunning()) {
			return "the listener is stopped";
		}
		return container.getSource().socketFileProblem();
	}

}
