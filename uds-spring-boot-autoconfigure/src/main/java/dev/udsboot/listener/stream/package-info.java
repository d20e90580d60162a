/**
 * Stream ({@code SOCK_STREAM}) listeners: accepting connections and serving framed messages on
 * them, one platform thread per connection.
 */
@NullMarked
package dev.udsboot.listener.stream;

import org.jspecify.annotations.NullMarked;
