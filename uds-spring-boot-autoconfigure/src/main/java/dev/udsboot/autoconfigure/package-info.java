/**
 * Spring Boot auto-configuration: {@code uds.*} properties, the configured
 * listeners built from them, the default container factory and its customizers. It is the one
 * package that knows every other; the runtime does not depend on it.
 */
@NullMarked
package dev.udsboot.autoconfigure;

import org.jspecify.annotations.NullMarked;

