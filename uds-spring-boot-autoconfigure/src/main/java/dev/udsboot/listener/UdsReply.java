package dev.udsboot.listener;

import java.io.FileDescriptor;
import java.util.List;

/**
 * A reply that carries file descriptors: return it from a handler to send the payload with the
 * descriptors attached (SCM_RIGHTS). The payload is converted like any return value. The
 * descriptors stay the handler's: the starter sends them and does not close them.
 *
 * @param payload the reply payload
 * @param descriptors the descriptors to send with it
 */
public record UdsReply(Object payload, List<FileDescriptor> descriptors) {

	/**
	 * Creates a reply; {@code descriptors} is copied.
	 * @param payload the reply payload
	 * @param descriptors the descriptors to send with it
	 */
	public UdsReply {
		descriptors = List.copyOf(descriptors);
	}

	/**
	 * Creates a reply with descriptors.
	 * @param payload the reply payload
	 * @param descriptors the descriptors to send with it
	 * @return the reply
	 */
	public static UdsReply of(Object payload, FileDescriptor... descriptors) {
		return new UdsReply(payload, List.of(descriptors));
	}

}
