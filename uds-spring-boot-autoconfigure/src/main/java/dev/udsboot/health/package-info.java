/**
 * Health of the listeners for Spring Boot Actuator: one indicator per listener, which checks its
 * socket file and probes it through its socket; the prober answers its own probes inside the
 * container, through the container's {@code UdsListenerInterceptor}. Works without the
 * auto-configuration.
 */
@NullMarked
package dev.udsboot.health;

import org.jspecify.annotations.NullMarked;

