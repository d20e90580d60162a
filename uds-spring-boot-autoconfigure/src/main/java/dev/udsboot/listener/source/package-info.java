/**
 * Where a listener's socket comes from (the first step of the flow: source → connection →
 * framing → dispatch → reply): a path whose socket file the starter owns, or a Linux abstract
 * name. A container opens its socket through its source and knows nothing of how it was made.
 */
@NullMarked
package dev.udsboot.listener.source;

import org.jspecify.annotations.NullMarked;

