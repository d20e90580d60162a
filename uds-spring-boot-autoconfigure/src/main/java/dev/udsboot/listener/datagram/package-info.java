/**
 * Datagram ({@code SOCK_DGRAM}) listeners: receiving datagrams, handing each to its handler, and
 * sending replies to the senders' addresses.
 */
@NullMarked
package dev.udsboot.listener.datagram;

import org.jspecify.annotations.NullMarked;
