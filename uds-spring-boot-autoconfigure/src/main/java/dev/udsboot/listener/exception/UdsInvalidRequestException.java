package dev.udsboot.listener.exception;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A message the handler could not be given because of what the client sent: its payload cannot be
 * converted to the handler's parameter type (JSON that does not parse or does not fit, or fails
 * validation). It is the client's mistake, not the application's: the listener logs it at WARN
 * (rate-limited, no stack trace) and counts it ({@code invalidPayloads}).
 * <p>
 * An error handler receives it like any handler failure; the default one answers with an error
 * reply ({@code {"error":"invalid-payload","message":"..."}}) and keeps the connection. After the
 * error handler has decided, the listener receives it again, carrying the decision
 * ({@link #getReply()}, {@link #isClosingConnection()}).
 */
public class UdsInvalidRequestException extends UdsListenerExecutionFailedException {

	private static final long serialVersionUID = 1L;

	private final String clientMessage;

	private final byte @Nullable [] reply;

	/** Not serialized: descriptors only mean something in this process. */
	private final transient List<FileDescriptor> replyDescriptors;

	private final boolean closingConnection;

	/**
	 * Creates an exception as the error handler sees it: if it is thrown on, the connection closes.
	 * @param listenerName the listener the message arrived on
	 * @param message names the bean and method, for the log
	 * @param clientMessage what the client got wrong, fit to be sent to it
	 * @param cause the conversion failure
	 */
	public UdsInvalidRequestException(String listenerName, String message, String clientMessage, Throwable cause) {
		this(listenerName, message, clientMessage, cause, null, List.of(), true);
	}

	private UdsInvalidRequestException(String listenerName, String message, String clientMessage, Throwable cause,
			byte @Nullable [] reply, List<FileDescriptor> replyDescriptors, boolean closingConnection) {
		super(listenerName, message, cause);
		this.clientMessage = clientMessage;
		this.reply = reply;
		this.replyDescriptors = List.copyOf(replyDescriptors);
		this.closingConnection = closingConnection;
	}

	/**
	 * Returns the error handler's decision to keep the connection, with or without a reply.
	 * @param reply the reply, already converted, or {@code null} for none
	 * @param descriptors the descriptors to send with the reply, possibly none
	 * @return the exception the listener receives
	 */
	public UdsInvalidRequestException answeredWith(byte @Nullable [] reply, List<FileDescriptor> descriptors) {
		return new UdsInvalidRequestException(getListenerName(), getMessage(), this.clientMessage,
				java.util.Objects.requireNonNull(getCause()), reply, descriptors, false);
	}

	/**
	 * Returns what the client got wrong, in one line without the application's internals: fit for
	 * an error reply.
	 * @return e.g. {@code Cannot read the payload as Order: Unexpected character ('x' (code 120))}
	 */
	public String getClientMessage() {
		return this.clientMessage;
	}

	/**
	 * Returns the reply the error handler decided on.
	 * @return the reply's bytes, or {@code null} for none
	 */
	public byte @Nullable [] getReply() {
		return this.reply;
	}

	/**
	 * Returns the descriptors to send with the reply the error handler decided on (it returned a
	 * {@code UdsReply}).
	 * @return the descriptors, possibly none
	 */
	public List<FileDescriptor> getReplyDescriptors() {
		return (this.replyDescriptors != null) ? this.replyDescriptors : List.of();
	}

	/**
	 * Tells whether the connection is to be closed (the error handler threw).
	 * @return {@code true} to close it
	 */
	public boolean isClosingConnection() {
		return this.closingConnection;
	}

}
