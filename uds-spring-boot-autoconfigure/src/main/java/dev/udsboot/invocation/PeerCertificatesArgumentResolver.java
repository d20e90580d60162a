package dev.udsboot.invocation;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.udsboot.listener.UdsPeer;
import dev.udsboot.socket.PeerCertificates;

/**
 * Resolves a handler parameter of type {@link PeerCertificates} to the certificate chain the TLS
 * client presented; {@code null} where there is none, so unless the listener requires client
 * certificates ({@code ssl.client-auth: need}) the parameter must be declared nullable (checked at
 * startup).
 */
public class PeerCertificatesArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return PeerCertificates.class == parameter.getParameterType();
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		Object peer = message.getHeaders().get(UdsHeaders.PEER);
		return (peer instanceof UdsPeer udsPeer) ? udsPeer.peerCertificates() : null;
	}

}
