package dev.udsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;
import org.springframework.core.annotation.AliasFor;

/**
 * Marks a method that handles the messages of one or more configured listeners
 * ({@code uds.listeners.<name>}). Its payload parameter may be {@code byte[]}, {@code String},
 * {@code ByteBuffer}, {@code Message<?>} or any type read from JSON; a
 * {@link dev.udsboot.listener.UdsSession} parameter gives the connection. The return value is the
 * reply, converted the same way; {@code void} or {@code null} sends none.
 * <p>
 * Each listener is served by exactly one method; startup fails otherwise. Listener names may use
 * {@code ${...}} placeholders.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(UdsHandlerReflectiveProcessor.class)
public @interface UdsHandler {

	/**
	 * The listener names this method serves.
	 * @return the names
	 */
	@AliasFor("listeners")
	String[] value() default {};

	/**
	 * The listener names this method serves.
	 * @return the names
	 */
	@AliasFor("value")
	String[] listeners() default {};

	/**
	 * The name of a {@link dev.udsboot.listener.api.UdsListenerErrorHandler} bean for this method's
	 * failures; empty for the default.
	 * @return the bean name
	 */
	String errorHandler() default "";

}
