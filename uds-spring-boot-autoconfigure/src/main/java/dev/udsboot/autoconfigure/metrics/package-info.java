/**
 * Auto-configuration of the listeners' Micrometer meters.
 */
@NullMarked
package dev.udsboot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
