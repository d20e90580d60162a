/**
 * Stream ({@code SOCK_STREAM}) listeners: the container accepts connections from
 * its socket source, a {@code StreamConnection} per connection reads frames and dispatches them on
 * its own platform thread, and its {@code StreamSession} sends the replies.
 */
@NullMarked
package dev.udsboot.listener.stream;

import org.jspecify.annotations.NullMarked;

