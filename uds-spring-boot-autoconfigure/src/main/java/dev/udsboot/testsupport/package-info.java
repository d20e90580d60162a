/**
 * Support for testing applications built on the starter: {@link TemporaryUdsSockets} gives a
 * {@code @SpringBootTest} its sockets in a fresh temporary directory.
 */
@NullMarked
package dev.udsboot.testsupport;

import org.jspecify.annotations.NullMarked;
