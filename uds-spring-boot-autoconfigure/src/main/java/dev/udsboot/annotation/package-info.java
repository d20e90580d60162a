/**
 * The user's surface: {@code @UdsHandler}, {@code @EnableUds}, and the processing that turns
 * annotated methods into endpoints.
 */
@NullMarked
package dev.udsboot.annotation;

import org.jspecify.annotations.NullMarked;
