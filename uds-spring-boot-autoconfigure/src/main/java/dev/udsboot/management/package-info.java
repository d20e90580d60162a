/**
 * Actuator endpoints over a Unix domain socket ({@code uds.management.path}): an embedded Tomcat
 * bound by the starter's socket-file rules, serving the read operations of the exposed endpoints.
 * Works without the auto-configuration.
 */
@NullMarked
package dev.udsboot.management;

import org.jspecify.annotations.NullMarked;
