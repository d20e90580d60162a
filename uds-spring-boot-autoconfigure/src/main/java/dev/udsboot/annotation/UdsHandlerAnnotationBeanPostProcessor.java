package dev.udsboot.annotation;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.config.MethodUdsListenerEndpoint;
import dev.udsboot.config.SocketActivation;
import dev.udsboot.config.UdsConfigUtils;
import dev.udsboot.config.UdsListenerContainerFactory;
import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.config.UdsListenerEndpointRegistrar;
import dev.udsboot.config.UdsListenerHandlerProvider;
import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.invocation.UdsMessageHandlerMethodFactory;
import dev.udsboot.listener.api.UdsListenerErrorHandler;

/**
 * Finds {@link UdsHandler} methods on beans, turns each into a {@link MethodUdsListenerEndpoint},
 * and once all singletons exist hands them to a {@link UdsListenerEndpointRegistrar} with the
 * container factory ({@value UdsConfigUtils#UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME}) and the
 * handler method factory ({@value UdsConfigUtils#UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME}, or
 * a default one).
 */
public class UdsHandlerAnnotationBeanPostProcessor
		implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware, Ordered {

	private final Set<Class<?>> classesWithoutHandlers = ConcurrentHashMap.newKeySet();

	private final List<PendingEndpoint> pending = new ArrayList<>();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public int getOrder() {
		return LOWEST_PRECEDENCE;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.classesWithoutHandlers.contains(targetClass)) {
			return bean;
		}
		Map<Method, UdsHandler> methods = handlerMethods(targetClass);
		Map<Method, UdsConnectionOpened> opened = annotatedMethods(targetClass, UdsConnectionOpened.class);
		Map<Method, UdsConnectionClosed> closed = annotatedMethods(targetClass, UdsConnectionClosed.class);
		if (methods.isEmpty() && opened.isEmpty() && closed.isEmpty()) {
			this.classesWithoutHandlers.add(targetClass);
			return bean;
		}
		synchronized (this.pending) {
			methods.forEach((method, annotation) -> this.pending.add(new PendingEndpoint(bean, beanName,
					AopUtils.selectInvocableMethod(method, bean.getClass()), Kind.MESSAGE,
					List.of(annotation.value()), annotation.errorHandler())));
			opened.forEach((method, annotation) -> this.pending.add(new PendingEndpoint(bean, beanName,
					AopUtils.selectInvocableMethod(method, bean.getClass()), Kind.OPENED, List.of(annotation.value()),
					"")));
			closed.forEach((method, annotation) -> this.pending.add(new PendingEndpoint(bean, beanName,
					AopUtils.selectInvocableMethod(method, bean.getClass()), Kind.CLOSED, List.of(annotation.value()),
					"")));
		}
		return bean;
	}

	/**
	 * Tells whether a class declares {@link UdsHandler} methods.
	 * @param type the bean class
	 * @return {@code true} if it has at least one
	 */
	public static boolean hasHandlerMethods(Class<?> type) {
		return !handlerMethods(type).isEmpty() || !annotatedMethods(type, UdsConnectionOpened.class).isEmpty()
				|| !annotatedMethods(type, UdsConnectionClosed.class).isEmpty();
	}

	private static Map<Method, UdsHandler> handlerMethods(Class<?> type) {
		return annotatedMethods(type, UdsHandler.class);
	}

	private static <A extends java.lang.annotation.Annotation> Map<Method, A> annotatedMethods(Class<?> type,
			Class<A> annotation) {
		return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<A>) (
				method) -> AnnotatedElementUtils.findMergedAnnotation(method, annotation));
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = requireBeanFactory();
		UdsMessageHandlerMethodFactory methodFactory = handlerMethodFactory(factory);
		UdsListenerEndpointRegistrar registrar = new UdsListenerEndpointRegistrar();
		registrar.setEndpointRegistry(factory.getBean(UdsConfigUtils.UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME,
				UdsListenerEndpointRegistry.class));
		// by type: the auto-configured catalogue, or one the application defines instead
		UdsListenerDefinitions definitions = factory.getBeanProvider(UdsListenerDefinitions.class).getIfUnique();
		if (definitions != null) {
			registrar.setListenerDefinitions(definitions);
		}
		SocketActivation activation = factory.getBeanProvider(SocketActivation.class).getIfUnique();
		if (activation != null) {
			registrar.setSocketActivation(activation);
		}
		if (factory.containsBean(UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME)) {
			registrar.setContainerFactory(factory.getBean(UdsConfigUtils.UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME,
					UdsListenerContainerFactory.class));
		}
		synchronized (this.pending) {
			for (PendingEndpoint pending : this.pending) {
				MethodUdsListenerEndpoint endpoint = new MethodUdsListenerEndpoint(pending.bean(), pending.beanName(),
						pending.method(), resolveListenerNames(pending.listeners()), methodFactory,
						resolveErrorHandler(factory, pending.errorHandler()));
				switch (pending.kind()) {
					case MESSAGE -> registrar.registerEndpoint(endpoint);
					case OPENED -> registrar.registerConnectionOpenedEndpoint(endpoint);
					case CLOSED -> registrar.registerConnectionClosedEndpoint(endpoint);
				}
			}
			this.pending.clear();
		}
		if (factory instanceof ListableBeanFactory listable) {
			// beans that handle messages without the annotation: Spring Integration's inbound endpoints
			listable.getBeansOfType(UdsListenerHandlerProvider.class, false, false)
				.forEach((beanName, provider) -> registrar.registerEndpoint(new MethodUdsListenerEndpoint(
						provider.getHandler(), beanName, provider.getHandlerMethod(),
						resolveListenerNames(provider.getListenerNames()), methodFactory, null)));
		}
		registrar.registerAllEndpoints();
	}

	private UdsMessageHandlerMethodFactory handlerMethodFactory(BeanFactory factory) {
		if (factory.containsBean(UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME)) {
			return factory.getBean(UdsConfigUtils.UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME,
					UdsMessageHandlerMethodFactory.class);
		}
		JsonMapper jsonMapper = factory.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new);
		UdsMessageHandlerMethodFactory methodFactory = UdsMessageHandlerMethodFactory.withJsonMapper(jsonMapper);
		methodFactory.setBeanFactory(factory);
		methodFactory.afterPropertiesSet();
		return methodFactory;
	}

	private List<String> resolveListenerNames(List<String> listeners) {
		List<String> names = new ArrayList<>();
		for (String name : listeners) {
			names.add(resolve(name));
		}
		return names;
	}

	private @Nullable UdsListenerErrorHandler resolveErrorHandler(BeanFactory factory, String errorHandler) {
		String name = resolve(errorHandler);
		return StringUtils.hasText(name) ? factory.getBean(name, UdsListenerErrorHandler.class) : null;
	}

	private String resolve(String value) {
		if (requireBeanFactory() instanceof ConfigurableBeanFactory configurable) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : value;
		}
		return value;
	}

	private BeanFactory requireBeanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("BeanFactory not set");
		}
		return this.beanFactory;
	}

	private enum Kind {

		MESSAGE, OPENED, CLOSED

	}

	private record PendingEndpoint(Object bean, String beanName, Method method, Kind kind, List<String> listeners,
			String errorHandler) {

		@Override
		public String toString() {
			return this.beanName + "." + this.method.getName() + Arrays.toString(this.method.getParameterTypes());
		}

	}

}
