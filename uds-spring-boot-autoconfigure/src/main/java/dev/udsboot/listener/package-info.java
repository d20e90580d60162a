/**
 * The listener core every container builds on, in the flow source → connection →
 * framing → dispatch → reply: the container contract and its shared base, a listener's
 * definition and statistics, the {@code UdsMessageListener} a container dispatches each message to
 * and the {@code EncodedReply} it sends back, the handler-facing {@code UdsPeer} and
 * {@code UdsSession}, and the interceptor hook through which the starter's own traffic (health
 * probes) is answered apart from handlers. It knows no container, handler or configuration.
 */
@NullMarked
package dev.udsboot.listener;

import org.jspecify.annotations.NullMarked;

