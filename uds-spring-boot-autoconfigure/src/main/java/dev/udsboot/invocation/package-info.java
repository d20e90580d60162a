/**
 * Dispatch to handler methods: the {@code UdsMessageListener} adapter wraps a
 * frame in a Spring {@code Message}, resolves the method's arguments (payload, credentials,
 * descriptors, peer), converts the return value into the {@code EncodedReply} the container sends,
 * and applies the error handler. It knows the listener core, never the configuration layer.
 */
@NullMarked
package dev.udsboot.invocation;

import org.jspecify.annotations.NullMarked;
