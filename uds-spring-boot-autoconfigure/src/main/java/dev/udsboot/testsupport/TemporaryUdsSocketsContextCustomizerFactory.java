package dev.udsboot.testsupport;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives a test class annotated {@link TemporaryUdsSockets} its
 * {@link TemporaryUdsSocketsContextCustomizer}; registered in {@code META-INF/spring.factories}.
 */
class TemporaryUdsSocketsContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, TemporaryUdsSockets.class)
				? new TemporaryUdsSocketsContextCustomizer() : null;
	}

}
