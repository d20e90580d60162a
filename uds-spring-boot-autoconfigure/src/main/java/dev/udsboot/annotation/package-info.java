/**
 * The user's surface: {@code @UdsHandler}, {@code @UdsConnectionOpened},
 * {@code @UdsConnectionClosed} and {@code @EnableUds}, and the bean post-processor that turns
 * annotated methods into endpoints for {@link dev.udsboot.config}.
 */
@NullMarked
package dev.udsboot.annotation;

import org.jspecify.annotations.NullMarked;

