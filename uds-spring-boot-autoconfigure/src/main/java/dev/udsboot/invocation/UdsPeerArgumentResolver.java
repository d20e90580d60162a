package dev.udsboot.invocation;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.udsboot.listener.UdsPeer;

/**
 * Resolves a handler parameter of type {@link UdsPeer} or {@link dev.udsboot.listener.UdsSession}
 * to where the message came from. A {@code UdsSession} parameter on a datagram listener is refused
 * at startup, so it always finds a session here.
 */
public class UdsPeerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return UdsPeer.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		return message.getHeaders().get(UdsHeaders.PEER);
	}

}
