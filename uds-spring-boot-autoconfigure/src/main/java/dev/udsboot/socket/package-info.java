/**
 * Sockets below the listeners: addresses, binding a path safely (mode, group, no
 * moment wider than asked, removal only while still ours), peer credentials, received descriptors,
 * datagram channels, and the reflective workarounds for junixsocket. Knows nothing of listeners.
 */
@NullMarked
package dev.udsboot.socket;

import org.jspecify.annotations.NullMarked;
