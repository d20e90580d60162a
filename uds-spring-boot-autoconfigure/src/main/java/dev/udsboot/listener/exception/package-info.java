/**
 * Exceptions of the listener infrastructure, including those a handler throws to instruct it.
 */
@NullMarked
package dev.udsboot.listener.exception;

import org.jspecify.annotations.NullMarked;
