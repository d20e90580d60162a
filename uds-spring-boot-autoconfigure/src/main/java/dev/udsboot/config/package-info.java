/**
 * Bean names shared by the annotation processing and the auto-configuration.
 */
@NullMarked
package dev.udsboot.config;

import org.jspecify.annotations.NullMarked;
