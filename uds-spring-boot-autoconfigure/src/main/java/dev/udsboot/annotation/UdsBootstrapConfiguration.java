package dev.udsboot.annotation;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

import dev.udsboot.config.UdsConfigUtils;
import dev.udsboot.config.UdsListenerEndpointRegistry;

/**
 * Registers the {@link UdsHandlerAnnotationBeanPostProcessor} and the
 * {@link UdsListenerEndpointRegistry} under their fixed names, once.
 */
public class UdsBootstrapConfiguration implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		register(registry, UdsConfigUtils.UDS_HANDLER_ANNOTATION_PROCESSOR_BEAN_NAME,
				UdsHandlerAnnotationBeanPostProcessor.class);
		register(registry, UdsConfigUtils.UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME, UdsListenerEndpointRegistry.class);
	}

	private static void register(BeanDefinitionRegistry registry, String name, Class<?> type) {
		if (!registry.containsBeanDefinition(name)) {
			RootBeanDefinition definition = new RootBeanDefinition(type);
			definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(name, definition);
		}
	}

}
