package dev.udsboot.sample;

import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The {@code echo} listener: replies with the line it received.
 */
@Component
public class EchoHandlers {

	/**
	 * Echoes a line.
	 * @param line the line received
	 * @return the same line
	 */
	@UdsHandler("echo")
	public String echo(String line) {
		return line;
	}

}
