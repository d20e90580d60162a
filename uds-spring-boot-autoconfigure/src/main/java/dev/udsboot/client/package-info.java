/**
 * The client half: {@link dev.udsboot.client.UdsTemplate} sends messages to stream and datagram
 * sockets (this starter's listeners or any other server) with the listeners' framings,
 * conversions and descriptor passing, over pooled or one-shot connections.
 */
@NullMarked
package dev.udsboot.client;

import org.jspecify.annotations.NullMarked;

