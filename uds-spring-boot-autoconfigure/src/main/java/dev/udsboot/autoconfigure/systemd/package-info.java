/**
 * Auto-configuration of the systemd notifications ({@code uds.systemd.*}): what "ready" and
 * "healthy" mean for the application, from its listeners and, where present, Actuator's health.
 */
@NullMarked
package dev.udsboot.autoconfigure.systemd;

import org.jspecify.annotations.NullMarked;
