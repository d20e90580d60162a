/**
 * Auto-configuration of the client half: {@code uds.client.*} defaults, a
 * {@link dev.udsboot.client.UdsTemplateBuilder} per injection point and the listeners'
 * {@link dev.udsboot.client.UdsTemplates}.
 */
@NullMarked
package dev.udsboot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
