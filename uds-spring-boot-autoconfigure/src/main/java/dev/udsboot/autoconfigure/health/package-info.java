/**
 * Auto-configuration of the {@code uds} health contributor.
 */
@NullMarked
package dev.udsboot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
