/**
 * Unix domain socket listeners for Spring applications: the exception root of the starter.
 */
@NullMarked
package dev.udsboot;

import org.jspecify.annotations.NullMarked;
