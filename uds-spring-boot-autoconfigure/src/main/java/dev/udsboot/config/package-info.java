/**
 * What the annotation processing and the auto-configuration share: bean names, and the
 * "did you mean" lookup of startup failure reports.
 */
@NullMarked
package dev.udsboot.config;

import org.jspecify.annotations.NullMarked;
