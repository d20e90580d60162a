/**
 * Micrometer Observations of the messages listeners handle and of the exchanges templates make:
 * a timer per listener and outcome, and with Micrometer Tracing a span per message in whose
 * scope the handler runs. Works without the auto-configuration.
 */
@NullMarked
package dev.udsboot.observation;

import org.jspecify.annotations.NullMarked;

