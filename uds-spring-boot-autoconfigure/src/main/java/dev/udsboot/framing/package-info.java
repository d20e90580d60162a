/**
 * Framing: cuts a connection's byte stream into messages and writes replies in the same format,
 * with one inclusive size limit and one bad-input behaviour for every framing. In the flow source →
 * connection → framing → dispatch → reply, a connection hands its streams here and dispatches the
 * payloads that come out; framing knows nothing of sockets, listeners or handlers.
 */
@NullMarked
package dev.udsboot.framing;

import org.jspecify.annotations.NullMarked;
