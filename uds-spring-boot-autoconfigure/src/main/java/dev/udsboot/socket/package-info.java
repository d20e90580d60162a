/**
 * Socket addresses and socket files: binding a path safely, its permissions, and removing it
 * only while it is still ours.
 */
@NullMarked
package dev.udsboot.socket;

import org.jspecify.annotations.NullMarked;
