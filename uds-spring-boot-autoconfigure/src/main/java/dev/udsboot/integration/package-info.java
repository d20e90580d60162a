/**
 * Spring Integration endpoints on the starter's listeners: an inbound gateway (request/reply) and
 * an inbound channel adapter (one way), usable from the Java DSL ({@link dev.udsboot.integration.Uds})
 * and as beans, with the caller's identity as plain headers that survive a broker's header mapping.
 */
@NullMarked
package dev.udsboot.integration;

import org.jspecify.annotations.NullMarked;
