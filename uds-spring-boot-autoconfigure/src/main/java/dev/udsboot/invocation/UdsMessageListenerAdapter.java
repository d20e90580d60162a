package dev.udsboot.invocation;

import java.io.FileDescriptor;
import java.nio.charset.Charset;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsPeer;
import dev.udsboot.listener.UdsReply;
import dev.udsboot.listener.api.UdsListenerErrorHandler;
import dev.udsboot.listener.exception.UdsInvalidRequestException;
import dev.udsboot.listener.exception.UdsListenerExecutionFailedException;

/**
 * Invokes one handler method for one listener: wraps the frame in a {@link Message}, lets the
 * method's argument resolvers convert it, converts the return value back to bytes, and hands any
 * failure (of the method or of a conversion) to the error handler, whose non-null return is the
 * reply. A payload that cannot be converted is the client's mistake: it reaches the error handler
 * as a {@link UdsInvalidRequestException}, and the error handler's decision reaches the container
 * as one too, so that the container logs and counts it as bad input rather than a failure.
 */
public class UdsMessageListenerAdapter implements UdsMessageListener {

	private final String listenerName;

	private final Charset charset;

	private final InvocableHandlerMethod handlerMethod;

	private final PayloadCodec payloads;

	private final String replyDescription;

	private final UdsListenerErrorHandler errorHandler;

	private final boolean acceptsFileDescriptors;

	private final Consumer<EncodedReply> replyCheck;

	/**
	 * Creates an adapter.
	 * @param listenerName the listener it serves
	 * @param charset the listener's charset for {@code String} payloads
	 * @param handlerMethod the method, with its argument resolvers
	 * @param messageConverter converts return values to bytes
	 * @param errorHandler decides the reply when the method fails
	 * @param replyCheck throws if a reply cannot be sent on the listener (a stream reply that
	 * contains its framing's terminator, or descriptors with no byte to travel with), so that the
	 * error handler decides what is sent instead, as for any other failure of the method's
	 */
	public UdsMessageListenerAdapter(String listenerName, Charset charset, InvocableHandlerMethod handlerMethod,
			MessageConverter messageConverter, UdsListenerErrorHandler errorHandler, Consumer<EncodedReply> replyCheck) {
		this.listenerName = listenerName;
		this.charset = charset;
		this.handlerMethod = handlerMethod;
		this.payloads = new PayloadCodec(charset, messageConverter);
		this.replyDescription = "a reply for listener '" + listenerName + "'";
		this.errorHandler = errorHandler;
		this.replyCheck = replyCheck;
		FileDescriptorArgumentResolver descriptors = new FileDescriptorArgumentResolver();
		this.acceptsFileDescriptors = java.util.Arrays.stream(handlerMethod.getMethodParameters())
			.anyMatch(descriptors::supportsParameter);
	}

	/**
	 * Tells whether the handler method declares a {@code FileDescriptor} parameter.
	 * @return {@code true} if it takes descriptors
	 */
	@Override
	public boolean acceptsFileDescriptors() {
		return this.acceptsFileDescriptors;
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, UdsPeer peer) {
		return onMessage(payload, List.of(), peer);
	}

	@Override
	public @Nullable EncodedReply onMessage(byte[] payload, List<FileDescriptor> descriptors, UdsPeer peer) {
		Message<byte[]> message = new GenericMessage<>(payload,
				new UdsMessageHeaders(this.listenerName, peer, this.charset, descriptors));
		try {
			EncodedReply reply = toReply(this.handlerMethod.invoke(message), message.getHeaders());
			if (reply != null) {
				this.replyCheck.accept(reply);
			}
			return reply;
		}
		catch (Exception ex) {
			UdsListenerExecutionFailedException failure = wrap(ex);
			Object errorReply;
			try {
				errorReply = this.errorHandler.handleError(message, failure);
			}
			catch (UdsListenerExecutionFailedException rethrown) {
				throw rethrown;
			}
			catch (Exception errorHandlerFailure) {
				throw new UdsListenerExecutionFailedException(this.listenerName,
						"Error handler failed for " + describeMethod() + ": " + errorHandlerFailure.getMessage(),
						errorHandlerFailure);
			}
			EncodedReply reply;
			try {
				reply = toReply(errorReply, message.getHeaders());
			}
			catch (RuntimeException conversionFailure) {
				throw wrap(conversionFailure);
			}
			if (failure instanceof UdsInvalidRequestException invalid) {
				// the client's mistake: the container logs it as such and sends the reply
				throw (reply != null) ? invalid.answeredWith(reply.payload(), reply.descriptors())
						: invalid.answeredWith(null, List.of());
			}
			return reply;
		}
	}

	/**
	 * Converts a return value to the reply the container sends: a {@link UdsReply}'s payload with
	 * its descriptors, or any other value alone.
	 */
	private @Nullable EncodedReply toReply(@Nullable Object result, MessageHeaders headers) {
		if (result instanceof UdsReply reply) {
			byte[] payload = this.payloads.encode(reply.payload(), headers, this.replyDescription);
			return new EncodedReply(payload, reply.descriptors());
		}
		return (result != null) ? EncodedReply.of(this.payloads.encode(result, headers, this.replyDescription)) : null;
	}

	private UdsListenerExecutionFailedException wrap(Exception ex) {
		if (ex instanceof UdsListenerExecutionFailedException failure) {
			return failure;
		}
		if (ex instanceof InvalidPayloadException invalid) {
			return new UdsInvalidRequestException(this.listenerName,
					"Invalid payload for " + describeMethod() + ": " + invalid.clientMessage(), invalid.clientMessage(),
					ex);
		}
		return new UdsListenerExecutionFailedException(this.listenerName,
				describeMethod() + " threw an exception: " + ex, ex);
	}

	private String describeMethod() {
		return "Handler method '" + this.handlerMethod.getMethod().toGenericString() + "' on bean '"
				+ this.handlerMethod.getBean().getClass().getName() + "' for listener '" + this.listenerName + "'";
	}

}
