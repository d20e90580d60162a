/**
 * Health of the listeners for Spring Boot Actuator: one indicator per listener, which checks its
 * socket file and probes it through its socket. Works without the auto-configuration.
 */
@NullMarked
package dev.udsboot.health;

import org.jspecify.annotations.NullMarked;
