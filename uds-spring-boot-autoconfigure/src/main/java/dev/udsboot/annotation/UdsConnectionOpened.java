package dev.udsboot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

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
public @interface UdsConnectionOpened {

	/**
	 * The listener names.
	 * @return the names
	 */
	String[] value();

}
