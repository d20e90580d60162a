/**
 * Spring Boot auto-configuration: {@code uds.*} properties, the default container factory and its
 * configurer and customizers. The runtime does not depend on this package.
 */
@NullMarked
package dev.udsboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
