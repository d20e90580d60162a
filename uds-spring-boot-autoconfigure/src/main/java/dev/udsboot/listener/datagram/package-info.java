/**
 * Datagram ({@code SOCK_DGRAM}) listeners, from the socket a source opened to the reply: a
 * container's runs receive datagrams on its socket (each datagram its own frame), a dispatcher
 * applies the limits and hands each to its message listener on the receiving thread, and the
 * reply goes back to the sender's address.
 */
@NullMarked
package dev.udsboot.listener.datagram;

import org.jspecify.annotations.NullMarked;
