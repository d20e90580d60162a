package dev.udsboot.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the sockets of the application under test in a fresh temporary directory: on a
 * {@code @SpringBootTest} class, every listener configured with a {@code path} gets
 * {@code <directory>/<listener name>.sock}, every one with an {@code abstract-name} a unique name,
 * and {@code uds.management.path}, if set, {@code <directory>/management.sock}. The directory
 * (mode {@code rwx------}) is removed when the context closes. So tests never clash with a running
 * copy of the application, with each other, or with a missing {@code /run/...} directory.
 * <p>
 * Talk to the listeners with the {@code UdsTemplates} bean: {@code templates.forListener("echo")}
 * is a template for that listener's temporary socket. Needs {@code spring-test} (it is in
 * {@code spring-boot-starter-test}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface TemporaryUdsSockets {

}
