/**
 * Unix domain socket listeners for Spring applications. The packages follow a message:
 * {@code listener.source} (where the socket comes from) → {@code listener.stream} /
 * {@code listener.datagram} (connections and datagrams) → {@code framing} (messages out of
 * bytes) → {@code invocation} (dispatch to a handler method) → back through the container as an
 * {@code EncodedReply}. {@code annotation} and {@code config} set this up,
 * {@code autoconfigure} wires it from {@code uds.*}, {@code health}, {@code metrics} and
 * {@code management} observe it, {@code client} talks to it. This package holds the exception
 * root of the starter.
 */
@NullMarked
package dev.udsboot;

import org.jspecify.annotations.NullMarked;
