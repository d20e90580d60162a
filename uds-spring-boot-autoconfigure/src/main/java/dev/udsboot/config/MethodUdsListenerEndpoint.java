package dev.udsboot.config;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;

import dev.udsboot.UdsStartupException;
import dev.udsboot.framing.FrameCodec;
import dev.udsboot.framing.InvalidReplyException;
import dev.udsboot.invocation.FileDescriptorArgumentResolver;
import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.invocation.UdsMessageListenerAdapter;
import dev.udsboot.listener.EncodedReply;
import dev.udsboot.listener.ListenerCapability;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.listener.UdsMessageListener;
import dev.udsboot.listener.UdsReply;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.listener.api.DefaultUdsListenerErrorHandler;
import dev.udsboot.listener.api.UdsListenerErrorHandler;
import dev.udsboot.socket.PeerCertificates;
import dev.udsboot.socket.PeerCredentials;

/**
 * An endpoint backed by a handler method on a bean.
 */
public class MethodUdsListenerEndpoint implements UdsListenerEndpoint {

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final List<String> listenerNames;

	private final UdsMessageHandlerMethodFactory handlerMethodFactory;

	private final @Nullable UdsListenerErrorHandler errorHandler;

	/**
	 * Creates an endpoint.
	 * @param bean the bean holding the method
	 * @param beanName the bean's name
	 * @param method the handler method, invocable on the bean (proxy-safe)
	 * @param listenerNames the listeners it serves
	 * @param handlerMethodFactory resolves its arguments
	 * @param errorHandler its own error handler, or {@code null} for the container factory's
	 */
	public MethodUdsListenerEndpoint(Object bean, String beanName, Method method, List<String> listenerNames,
			UdsMessageHandlerMethodFactory handlerMethodFactory, @Nullable UdsListenerErrorHandler errorHandler) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.listenerNames = List.copyOf(listenerNames);
		this.handlerMethodFactory = handlerMethodFactory;
		this.errorHandler = errorHandler;
	}

	@Override
	public List<String> getListenerNames() {
		return this.listenerNames;
	}

	@Override
	public String describe() {
		return "method '" + this.method.getName() + "' of bean '" + this.beanName + "' ("
				+ this.method.toGenericString() + ")";
	}

	@Override
	public UdsMessageListener createMessageListener(UdsListenerDefinition definition,
			@Nullable UdsListenerErrorHandler defaultErrorHandler) {
		checkParameters(definition);
		UdsListenerErrorHandler handler = (this.errorHandler != null) ? this.errorHandler
				: (defaultErrorHandler != null) ? defaultErrorHandler : DefaultUdsListenerErrorHandler.INSTANCE;
		return new UdsMessageListenerAdapter(definition.name(), definition.charset(),
				this.handlerMethodFactory.createInvocableHandlerMethod(this.bean, this.method),
				this.handlerMethodFactory.getMessageConverter(), handler, replyCheck(definition));
	}

	/**
	 * Refuses, as a handler failure, a reply the listener cannot send: a stream reply must be one
	 * frame, TCP carries no descriptors (a handler declared to return {@code Object} may still
	 * return a {@link UdsReply} with some); a datagram is one message whatever its bytes.
	 */
	private static Consumer<EncodedReply> replyCheck(UdsListenerDefinition definition) {
		FrameCodec codec = new FrameCodec(definition.framing(), definition.maxMessageSize());
		switch (definition.type()) {
			case STREAM:
				return (reply) -> codec.checkReply(reply.payload(), reply.descriptors());
			case TCP:
				return (reply) -> {
					if (!reply.descriptors().isEmpty()) {
						throw new InvalidReplyException("Cannot send file descriptors on " + definition.describe()
								+ ": TCP carries no file descriptors");
					}
					codec.checkReply(reply.payload());
				};
			default:
				return (reply) -> {
				};
		}
	}

	/**
	 * Refuses what the listener's socket cannot give or carry: a connection (a datagram listener),
	 * credentials the handler relies on (a datagram sender's are always null: junixsocket cannot
	 * receive them; TCP has none), descriptors either way (TCP carries none).
	 */
	private void checkParameters(UdsListenerDefinition definition) {
		String kind = kindOf(definition);
		for (int i = 0; i < this.method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(this.method, i);
			Class<?> type = parameter.getParameterType();
			if (UdsSession.class.isAssignableFrom(type) && !definition.has(ListenerCapability.CONNECTIONS)) {
				throw new UdsStartupException("The @UdsHandler " + describe() + " declares a UdsSession parameter, but "
						+ kind + ": datagrams have no connection.",
						"Declare a UdsPeer parameter instead to send the sender more datagrams, or make the listener a "
								+ "stream listener (" + definition.propertyPrefix() + "type=stream).");
			}
			if (type == PeerCredentials.class && !parameter.isOptional()
					&& !definition.has(ListenerCapability.PEER_CREDENTIALS)) {
				String why = (definition.type() == UdsListenerType.TCP) ? "TCP carries no credentials"
						: "junixsocket cannot receive a datagram sender's credentials (no SO_PASSCRED)";
				throw new UdsStartupException("The @UdsHandler " + describe() + " declares a PeerCredentials "
						+ "parameter that is not @Nullable, but " + kind + ": " + why
						+ ", so the argument would always be null.",
						"Declare the parameter @Nullable (org.jspecify.annotations.Nullable, or any @Nullable "
								+ "annotation; it is then null), or serve the handler on a Unix domain stream listener ("
								+ definition.propertyPrefix() + "type=stream), whose callers' credentials are known.");
			}
			if (type == PeerCertificates.class && !parameter.isOptional() && !definition.requiresClientCertificates()) {
				throw new UdsStartupException("The @UdsHandler " + describe() + " declares a PeerCertificates "
						+ "parameter that is not @Nullable, but " + definition.describe() + " does not require client "
						+ "certificates, so the argument would be null for a client without one.",
						"Declare the parameter @Nullable (it is then null without a certificate), or require client "
								+ "certificates: " + definition.propertyPrefix() + "type=tcp with "
								+ definition.propertyPrefix() + "ssl.bundle and " + definition.propertyPrefix()
								+ "ssl.client-auth=need.");
			}
			if (FileDescriptorArgumentResolver.takesDescriptors(parameter)
					&& !definition.has(ListenerCapability.FILE_DESCRIPTORS)) {
				throw new UdsStartupException("The @UdsHandler " + describe() + " declares a parameter of type "
						+ parameter.getGenericParameterType().getTypeName() + " (received file descriptors), but " + kind
						+ ": TCP carries no file descriptors.",
						"Remove the parameter, or serve the handler on a Unix domain socket listener.");
			}
		}
		if (UdsReply.class.isAssignableFrom(this.method.getReturnType())
				&& !definition.has(ListenerCapability.FILE_DESCRIPTORS)) {
			throw new UdsStartupException("The @UdsHandler " + describe() + " returns UdsReply (a reply with file "
					+ "descriptors), but " + kind + ": TCP carries no file descriptors.",
					"Return the payload itself, or serve the handler on a Unix domain socket listener.");
		}
	}

	private static String kindOf(UdsListenerDefinition definition) {
		return definition.describe() + " is a " + switch (definition.type()) {
			case STREAM -> "stream";
			case DATAGRAM -> "datagram";
			case TCP -> "TCP";
		} + " listener (" + definition.propertyPrefix() + "type=" + definition.type().name().toLowerCase(Locale.ROOT)
				+ ")";
	}

	@Override
	public String toString() {
		return describe();
	}

}
