package dev.udsboot.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The seed tutorial's stream servers ({@code seed} profile): {@code /tmp/my_uds.sock} answers each
 * chunk with {@code Hello from server}; the abstract socket {@code my_abstract_socket} prints
 * what it receives.
 */
@Component
@Profile("seed")
public class SeedHandlers {

	private static final Log logger = LogFactory.getLog(SeedHandlers.class);

	/**
	 * The seed's {@code uds_server.c}.
	 * @param chunk what the client wrote
	 * @return the seed server's reply
	 */
	@UdsHandler("seed-stream")
	public String hello(String chunk) {
		logger.info("Server received: " + chunk);
		return "Hello from server";
	}

	/**
	 * The seed's {@code uds_abstract.c} server side.
	 * @param chunk what the client wrote
	 */
	@UdsHandler("seed-abstract")
	public void received(String chunk) {
		logger.info("Received via abstract socket: " + chunk);
	}

}
