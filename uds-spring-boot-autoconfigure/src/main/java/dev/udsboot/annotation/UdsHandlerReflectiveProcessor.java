package dev.udsboot.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.handler.annotation.MessageMappingReflectiveProcessor;

import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.listener.UdsReply;

/**
 * Makes {@link UdsHandler} and the connection-event methods reachable in a native image, as
 * Spring's {@code @MessageMapping} methods are: each method is registered for invocation, and its
 * payload parameter and return type for binding (so that JSON conversion can construct and read
 * them). Parameters the socket fills (the peer, credentials, certificates, descriptors) are not
 * payloads and get no binding hints; nor does a {@link UdsReply}, whose payload's type is not
 * known before it is returned.
 */
public class UdsHandlerReflectiveProcessor extends MessageMappingReflectiveProcessor {

	@Override
	protected boolean couldBePayload(MethodParameter parameter) {
		return !UdsMessageHandlerMethodFactory.takesFromTheSocket(parameter) && super.couldBePayload(parameter);
	}

	/**
	 * The payload type of a {@code Message<T>} parameter, generics kept: Spring's own keeps only
	 * the raw class, so {@code Message<List<Order>>} would register no hints for {@code Order}.
	 */
	@Override
	protected @Nullable Type getMessageType(MethodParameter parameter) {
		MethodParameter nested = parameter.nested();
		return (nested.getNestedParameterType() == Object.class
				&& !(parameter.getGenericParameterType() instanceof ParameterizedType)) ? null
						: nested.getNestedGenericParameterType();
	}

	@Override
	protected void registerReturnValueHints(ReflectionHints hints, Method method) {
		if (!UdsReply.class.isAssignableFrom(method.getReturnType())) {
			super.registerReturnValueHints(hints, method);
		}
	}

}
