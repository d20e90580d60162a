/**
 * Callbacks applications implement to customise listeners, such as error handling.
 */
@NullMarked
package dev.udsboot.listener.api;

import org.jspecify.annotations.NullMarked;
