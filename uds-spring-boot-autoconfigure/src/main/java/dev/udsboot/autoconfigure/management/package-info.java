/**
 * Auto-configuration of Actuator over {@code uds.management.path}.
 */
@NullMarked
package dev.udsboot.autoconfigure.management;

import org.jspecify.annotations.NullMarked;
