package dev.udsboot.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.FileSystemUtils;

/**
 * Moves every configured socket into a fresh temporary directory before the context refreshes
 * (see {@link TemporaryUdsSockets}), with a property source that overrides the configured
 * addresses, and removes the directory when the context closes. The listener names are read from
 * the environment as configured by then (application.yml, profiles, test properties).
 */
public class TemporaryUdsSocketsContextCustomizer implements ContextCustomizer {

	/** The name of the property source that carries the temporary addresses. */
	public static final String PROPERTY_SOURCE_NAME = "udsTemporarySockets";

	@Override
	public void customizeContext(ConfigurableApplicationContext context,
			@Nullable MergedContextConfiguration mergedConfig) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Path directory = createDirectory();
		Map<String, Object> addresses = new LinkedHashMap<>();
		Binder binder = Binder.get(environment);
		binder.bind("uds.listeners", Bindable.mapOf(String.class, Object.class))
			.ifBound((listeners) -> listeners.keySet().forEach((name) -> {
				// the bracketed form keeps a name with dots one map key
				String prefix = "uds.listeners.[" + name + "].";
				if (environment.containsProperty(prefix + "abstract-name")) {
					addresses.put(prefix + "abstract-name", name + "-" + UUID.randomUUID());
				}
				else {
					addresses.put(prefix + "path", directory.resolve(name + ".sock").toString());
				}
			}));
		if (environment.containsProperty("uds.management.path")) {
			addresses.put("uds.management.path", directory.resolve("management.sock").toString());
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, addresses));
		// destroyed last, after the listeners have stopped and removed their own files
		DisposableBean cleanup = () -> delete(directory);
		if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(PROPERTY_SOURCE_NAME + ".cleanup", cleanup);
		}
		else {
			context.addApplicationListener((event) -> {
				if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
					delete(directory);
				}
			});
		}
	}

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("uds-test-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for the sockets", ex);
		}
	}

	private static void delete(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			// a temporary directory: the system cleans it up if this fails
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		// stateless: test classes that differ only in using it may share a cached context
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

}
