package dev.udsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method called when a stream connection of the named listeners is closed. It may take
 * {@link dev.udsboot.listener.UdsSession} and {@link dev.udsboot.socket.PeerCredentials}.
 * It runs after the connection is closed; its return value is ignored and a failure is logged.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(UdsHandlerReflectiveProcessor.class)
public @interface UdsConnectionClosed {

	/**
	 * The listener names.
	 * @return the names
	 */
	String[] value();

}
