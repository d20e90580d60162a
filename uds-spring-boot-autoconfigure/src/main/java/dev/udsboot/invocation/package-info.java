/**
 * Handler invocation: turning a received frame into a Spring {@code Message}, resolving handler
 * arguments, converting payloads and return values, and applying error handlers.
 */
@NullMarked
package dev.udsboot.invocation;

import org.jspecify.annotations.NullMarked;
