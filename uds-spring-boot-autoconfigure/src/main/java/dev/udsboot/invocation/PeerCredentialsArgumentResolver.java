package dev.udsboot.invocation;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.udsboot.listener.UdsPeer;
import dev.udsboot.socket.PeerCredentials;

/**
 * Resolves a handler parameter of type {@link PeerCredentials} to the credentials of the peer the
 * message came from, as the kernel recorded them; {@code null} for a datagram sender, so on a
 * datagram listener the parameter must be declared nullable (checked at startup).
 */
public class PeerCredentialsArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return PeerCredentials.class == parameter.getParameterType();
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object peer = message.getHeaders().get(UdsHeaders.PEER);
		return (peer instanceof UdsPeer udsPeer) ? udsPeer.peerCredentials() : null;
	}

}
