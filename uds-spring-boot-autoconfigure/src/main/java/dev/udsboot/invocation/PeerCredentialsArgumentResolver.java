package dev.udsboot.invocation;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.udsboot.listener.UdsSession;
import dev.udsboot.socket.PeerCredentials;

/**
 * Resolves a handler parameter of type {@link PeerCredentials} to the credentials of the peer the
 * message came from, as the kernel recorded them.
 */
public class PeerCredentialsArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return PeerCredentials.class == parameter.getParameterType();
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object session = message.getHeaders().get(UdsHeaders.SESSION);
		return (session instanceof UdsSession udsSession) ? udsSession.peerCredentials() : null;
	}

}
