/**
 * Framing: how a byte stream is cut into messages. Wraps spring-integration-ip's serializers so
 * every framing has the same inclusive size limit and the same bad-input behaviour.
 */
@NullMarked
package dev.udsboot.framing;

import org.jspecify.annotations.NullMarked;
