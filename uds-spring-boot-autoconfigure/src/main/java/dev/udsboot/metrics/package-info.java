/**
 * Micrometer meters of the listeners, read from their statistics when a registry asks. Works
 * without the auto-configuration.
 */
@NullMarked
package dev.udsboot.metrics;

import org.jspecify.annotations.NullMarked;
