package dev.udsboot.client;

import java.io.FileDescriptor;
import java.util.List;

import org.springframework.messaging.converter.MessageConversionException;

import dev.udsboot.client.StreamClientConnection.Reply;
import dev.udsboot.invocation.PayloadCodec;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.socket.ListenerAddress;
import dev.udsboot.socket.ReceivedDescriptors;

/**
 * Sends messages to a Unix domain socket and reads the replies, converting payloads as handlers'
 * are converted: {@code byte[]} as is, {@code String} in the template's charset, other types as
 * JSON. Built with {@link #builder(UdsAddress)} for any address, or taken from
 * {@link UdsTemplates} for one of this application's listeners.
 * <p>
 * On a stream socket every request has a connection to itself for the whole exchange, so a
 * template can be shared by any number of threads and every reply answers its own request.
 * Connections are pooled (the default) or opened for each message. Failures throw a
 * {@link UdsClientException} subclass, and the connection involved is closed, never reused:
 * <ul>
 * <li>{@link UdsSocketNotFoundException}: the socket file does not exist;</li>
 * <li>{@link UdsConnectionRefusedException}: nothing accepts on the address;</li>
 * <li>{@link UdsClientTimeoutException}: connecting, sending or the reply took longer than the
 * timeout, or every connection stayed busy that long;</li>
 * <li>{@link UdsConnectionClosedException}: the server closed the connection before a whole
 * reply arrived;</li>
 * <li>{@link UdsReplyTooLargeException}: the reply is over max-message-size;</li>
 * <li>{@link UdsInvalidReplyException}: the reply breaks the framing or carries too many
 * descriptors.</li>
 * </ul>
 * A request that cannot be framed (a line feed inside a {@code line} request) is an
 * {@link IllegalArgumentException}; a payload that cannot be converted, a
 * {@link MessageConversionException}. Close the template to close its idle connections.
 */
public class UdsTemplate implements AutoCloseable {

	private final ListenerAddress target;

	private final UdsListenerType type;

	private final PayloadCodec payloads;

	private final ClientTransport transport;

	private final String requestDescription;

	private final String replyDescription;

	UdsTemplate(ListenerAddress target, UdsListenerType type, PayloadCodec payloads, ClientTransport transport) {
		this.target = target;
		this.type = type;
		this.payloads = payloads;
		this.transport = transport;
		this.requestDescription = "a request to " + target;
		this.replyDescription = "a reply from " + target;
	}

	/**
	 * Starts building a template for an address.
	 * @param target the server's socket: a path or an abstract name, or a TCP host and port
	 * @return a builder with the defaults (line framing, 64 KB, 10 s, pooled)
	 */
	public static UdsTemplateBuilder builder(ListenerAddress target) {
		return new UdsTemplateBuilder().target(target);
	}

	/**
	 * Returns where the template sends.
	 * @return the server's address
	 */
	public ListenerAddress getTarget() {
		return this.target;
	}

	/**
	 * Returns whether the template talks to a stream or a datagram socket.
	 * @return the socket type
	 */
	public UdsListenerType getType() {
		return this.type;
	}

	/**
	 * Sends a message and does not wait for a reply. On a stream socket the connection it used
	 * is later reused for one-way sends only, so a reply the server sends anyway is never taken
	 * for the reply to a request.
	 * @param payload the message
	 */
	public void send(Object payload) {
		send(payload, List.of());
	}

	/**
	 * Sends a message with descriptors and does not wait for a reply.
	 * @param payload the message
	 * @param descriptors descriptors to pass with it; the caller keeps and closes them
	 */
	public void send(Object payload, List<FileDescriptor> descriptors) {
		this.transport.exchange(encode(payload), descriptors, false);
	}

	/**
	 * Sends a request and returns its converted reply; descriptors that come with the reply are
	 * closed.
	 * @param <T> the reply type
	 * @param request the request
	 * @param replyType {@code byte[]}, {@code String}, or a type read as JSON
	 * @return the reply
	 */
	public <T> T sendAndReceive(Object request, Class<T> replyType) {
		try (UdsResponse<T> response = exchange(request, List.of(), replyType)) {
			return response.payload();
		}
	}

	/**
	 * Sends a request with descriptors and returns the reply with the descriptors that came with
	 * it, which the caller owns.
	 * @param <T> the reply type
	 * @param request the request
	 * @param descriptors descriptors to pass with the request; the caller keeps and closes them
	 * @param replyType {@code byte[]}, {@code String}, or a type read as JSON
	 * @return the reply and its descriptors
	 */
	public <T> UdsResponse<T> exchange(Object request, List<FileDescriptor> descriptors, Class<T> replyType) {
		Reply reply = this.transport.exchange(encode(request), descriptors, true);
		if (reply == null) {
			throw new IllegalStateException("no reply from a transport asked for one");
		}
		try {
			return new UdsResponse<>(this.payloads.decode(reply.payload(), replyType, this.replyDescription),
					reply.descriptors());
		}
		catch (RuntimeException ex) {
			ReceivedDescriptors.close(reply.descriptors());
			throw ex;
		}
	}

	private byte[] encode(Object payload) {
		return this.payloads.encode(payload, this.requestDescription);
	}

	/**
	 * Closes the idle connections; a template in use finishes its exchanges and closes those
	 * connections as they end.
	 */
	@Override
	public void close() {
		this.transport.close();
	}

	ClientTransport transport() {
		return this.transport;
	}

	@Override
	public String toString() {
		return "UdsTemplate[" + this.type.name().toLowerCase(java.util.Locale.ROOT) + " " + this.target + "]";
	}

}
