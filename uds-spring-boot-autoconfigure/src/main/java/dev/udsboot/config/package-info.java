/**
 * The configuration layer, as in spring-kafka: the configured listeners
 * ({@code UdsListenerDefinitions}), endpoints (a handler method and the listeners it serves), the
 * registrar that checks them against the listeners, the container factory, and the registry that
 * runs the containers as one {@code SmartLifecycle}. It knows the runtime below it
 * ({@link dev.udsboot.listener}, {@link dev.udsboot.invocation}); nothing there knows it.
 */
@NullMarked
package dev.udsboot.config;

import org.jspecify.annotations.NullMarked;
