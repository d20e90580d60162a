package dev.udsboot.listener;

import java.lang.reflect.Method;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.invocation.UdsMessageListenerAdapter;
import dev.udsboot.listener.api.DefaultUdsListenerErrorHandler;
import dev.udsboot.listener.api.UdsListenerErrorHandler;

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
		UdsListenerErrorHandler handler = (this.errorHandler != null) ? this.errorHandler
				: (defaultErrorHandler != null) ? defaultErrorHandler : DefaultUdsListenerErrorHandler.INSTANCE;
		return new UdsMessageListenerAdapter(definition.name(), definition.charset(),
				this.handlerMethodFactory.createInvocableHandlerMethod(this.bean, this.method),
				this.handlerMethodFactory.getMessageConverter(), handler);
	}

	@Override
	public String toString() {
		return describe();
	}

}
