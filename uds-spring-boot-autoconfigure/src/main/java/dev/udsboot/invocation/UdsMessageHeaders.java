package dev.udsboot.invocation;

import java.io.FileDescriptor;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.MessageHeaders;

import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsSession;

/**
 * The headers of a received message: listener, peer (and connection id on a stream), descriptors
 * and charset. Unlike
 * default {@link MessageHeaders} they carry no generated id and no timestamp: nothing in handler
 * invocation reads them, so generating an id and reading the clock for every frame would be work
 * without a reader.
 */
public final class UdsMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the headers of one message.
	 * @param listenerName the listener it arrived on
	 * @param peer where it came from
	 * @param charset the listener's charset
	 * @param descriptors the descriptors that arrived with it, possibly none
	 */
	public UdsMessageHeaders(String listenerName, UdsPeer peer, Charset charset, List<FileDescriptor> descriptors) {
		// filled in place: given a map, MessageHeaders would copy it into a second one for every frame
		super(null, ID_VALUE_NONE, -1L);
		Map<String, Object> headers = getRawHeaders();
		// a view: the container closes the descriptors from its own list, whatever the handler does
		headers.put(UdsHeaders.FILE_DESCRIPTORS,
				descriptors.isEmpty() ? descriptors : Collections.unmodifiableList(descriptors));
		headers.put(UdsHeaders.LISTENER, listenerName);
		if (peer instanceof UdsSession session) {
			headers.put(UdsHeaders.CONNECTION_ID, session.id());
		}
		headers.put(UdsHeaders.PEER, peer);
		headers.put(UdsHeaders.CHARSET, charset);
	}

}
