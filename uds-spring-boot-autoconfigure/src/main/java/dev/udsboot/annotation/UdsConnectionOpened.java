package dev.udsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method called when a stream connection of the named listeners is opened. It may take
 * {@link dev.udsboot.listener.UdsSession} and {@link dev.udsboot.socket.PeerCredentials}.
 * It runs before anything is read: a non-null return value is sent as a greeting, converted like a
 * reply (a {@link dev.udsboot.listener.UdsReply} sends descriptors). If it throws, the connection
 * is closed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(UdsHandlerReflectiveProcessor.class)
public @interface UdsConnectionOpened {

	/**
	 * The listener names.
	 * @return the names
	 */
	String[] value();

}
