package dev.udsboot.invocation;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.messaging.handler.annotation.support.MessageMethodArgumentResolver;
import org.springframework.messaging.handler.annotation.support.PayloadMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's {@link DefaultMessageHandlerMethodFactory} with the starter's argument resolvers, and
 * one difference: an empty payload is a valid message on a socket (an empty line), so it is
 * converted like any other instead of being rejected as missing.
 */
public class UdsMessageHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	private final MessageConverter messageConverter;

	/**
	 * Creates a factory; call {@link #afterPropertiesSet()} before use.
	 * @param messageConverter converts payloads to parameter types
	 */
	public UdsMessageHandlerMethodFactory(MessageConverter messageConverter) {
		this.messageConverter = messageConverter;
		setMessageConverter(messageConverter);
		setCustomArgumentResolvers(socketArgumentResolvers());
	}

	/** The resolvers of what the socket gives rather than the payload: the peer, credentials, descriptors. */
	private static List<HandlerMethodArgumentResolver> socketArgumentResolvers() {
		return List.of(new UdsPeerArgumentResolver(), new PeerCredentialsArgumentResolver(),
				new PeerCertificatesArgumentResolver(), new FileDescriptorArgumentResolver());
	}

	/**
	 * Tells whether a handler parameter takes what the socket gives (the peer, its credentials or
	 * certificates, received descriptors) rather than the payload.
	 * @param parameter a handler method's parameter
	 * @return {@code true} if one of the starter's own argument resolvers resolves it
	 */
	public static boolean takesFromTheSocket(MethodParameter parameter) {
		return socketArgumentResolvers().stream().anyMatch((resolver) -> resolver.supportsParameter(parameter));
	}

	/**
	 * Creates a factory with the starter's converters ({@link UdsMessageConverters}).
	 * @param jsonMapper the mapper for JSON payloads
	 * @return the factory; call {@link #afterPropertiesSet()} before use
	 */
	public static UdsMessageHandlerMethodFactory withJsonMapper(JsonMapper jsonMapper) {
		return new UdsMessageHandlerMethodFactory(UdsMessageConverters.create(jsonMapper));
	}

	/**
	 * Returns the converter, also used for return values.
	 * @return the message converter
	 */
	public MessageConverter getMessageConverter() {
		return this.messageConverter;
	}

	@Override
	protected List<HandlerMethodArgumentResolver> initArgumentResolvers() {
		List<HandlerMethodArgumentResolver> resolvers = new ArrayList<>(super.initArgumentResolvers());
		resolvers.replaceAll((resolver) -> {
			if (resolver instanceof PayloadMethodArgumentResolver) {
				return new PayloadFailureMarking(new EmptyPayloadAcceptingResolver(this.messageConverter));
			}
			if (resolver instanceof MessageMethodArgumentResolver) {
				return new PayloadFailureMarking(resolver);
			}
			return resolver;
		});
		return resolvers;
	}

	private static final class EmptyPayloadAcceptingResolver extends PayloadMethodArgumentResolver {

		EmptyPayloadAcceptingResolver(MessageConverter converter) {
			super(converter);
		}

		@Override
		protected boolean isEmptyPayload(@Nullable Object payload) {
			return payload == null;
		}

	}

	/**
	 * Marks a failure to resolve the payload ({@code @Payload} or {@code Message<T>}) as the
	 * client's, here, where it is certain the payload failed and not the handler's own code; a
	 * conversion the application cannot do whatever the client sends (a type Jackson cannot
	 * construct) stays the application's failure.
	 */
	private record PayloadFailureMarking(HandlerMethodArgumentResolver delegate)
			implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return this.delegate.supportsParameter(parameter);
		}

		@Override
		public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) throws Exception {
			try {
				return this.delegate.resolveArgument(parameter, message);
			}
			catch (MessageConversionException | MethodArgumentResolutionException ex) {
				if (isApplicationFault(ex)) {
					throw ex;
				}
				throw new InvalidPayloadException(parameter, ex);
			}
		}

		private static boolean isApplicationFault(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof InvalidDefinitionException) {
					return true;
				}
			}
			return false;
		}

	}

}
