package dev.udsboot.sample;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The {@code tls} profile's {@code echo-tls} listener: the echo handler's answer over TLS.
 */
@Component
@Profile("tls")
public class TlsEchoHandlers {

	private final EchoHandlers echo;

	TlsEchoHandlers(EchoHandlers echo) {
		this.echo = echo;
	}

	/**
	 * Echoes a line, as {@link EchoHandlers#echo} does.
	 * @param line the line received
	 * @return the same line
	 */
	@UdsHandler("echo-tls")
	public String echo(String line) {
		return this.echo.echo(line);
	}

}
