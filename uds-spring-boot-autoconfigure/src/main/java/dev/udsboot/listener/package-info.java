/**
 * Listener infrastructure: endpoints (a handler method and the listeners it serves), the registrar
 * that collects them, the registry that runs their containers as one {@code SmartLifecycle}, and
 * the container factory.
 */
@NullMarked
package dev.udsboot.listener;

import org.jspecify.annotations.NullMarked;
