package dev.udsboot.sample;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The {@code events} datagram listener: acknowledges every datagram to its sender's address.
 */
@Component
public class EventsHandlers {

	private static final Log logger = LogFactory.getLog(EventsHandlers.class);

	/**
	 * Acknowledges a datagram.
	 * @param payload what the sender sent
	 * @return {@code ACK}, sent to the sender's bound address
	 */
	@UdsHandler("events")
	public String acknowledge(String payload) {
		if (logger.isDebugEnabled()) {
			logger.debug("Event received: " + payload);
		}
		return "ACK";
	}

}
