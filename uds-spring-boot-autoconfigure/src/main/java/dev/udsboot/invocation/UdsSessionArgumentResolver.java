package dev.udsboot.invocation;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

import dev.udsboot.listener.UdsSession;

/**
 * Resolves a handler parameter of type {@link UdsSession} to the connection the message arrived
 * on.
 */
public class UdsSessionArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return UdsSession.class.isAssignableFrom(parameter.getParameterType());
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		return message.getHeaders().get(UdsHeaders.SESSION);
	}

}
