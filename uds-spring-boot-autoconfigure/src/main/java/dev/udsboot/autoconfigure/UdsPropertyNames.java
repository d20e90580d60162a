package dev.udsboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.udsboot.UdsStartupException;
import dev.udsboot.config.NearestName;

/**
 * Fails startup on a property under {@code uds.} that the starter does not have: Spring Boot's
 * binding ignores unknown names, which for a typo such as {@code file-mod} would silently leave a
 * socket with the default permissions. The valid names are those of the configuration metadata
 * on the class path (the files IDEs complete from), so there is one list of properties; map keys
 * (listener names) match their {@code *} elements. An application's own properties under
 * {@code uds.} need metadata too, which the configuration processor generates. Environment variables are not checked: their names map to
 * properties ambiguously, and Spring Boot's own unknown-field check skips them too.
 */
final class UdsPropertyNames {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("uds");

	/** The configuration metadata the names are read from, at runtime. */
	static final String[] METADATA = { "META-INF/spring-configuration-metadata.json",
			"META-INF/additional-spring-configuration-metadata.json" };

	private static volatile @Nullable List<Known> known;

	private UdsPropertyNames() {
	}

	/**
	 * Checks every {@code uds.*} property set in the environment.
	 * @param environment the application's environment
	 * @throws UdsStartupException naming each unknown property, where it was set, and the
	 * nearest valid name
	 */
	static void checkKnown(Environment environment) {
		Map<ConfigurationPropertyName, ConfigurationProperty> unknown = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable && !isEnvironmentVariables(source)) {
				iterable.filter(ROOT::isAncestorOf).stream().filter((name) -> !isKnown(name)).forEach((name) -> {
					ConfigurationProperty property = source.getConfigurationProperty(name);
					if (property != null) {
						unknown.putIfAbsent(name, property);
					}
				});
			}
		}
		if (!unknown.isEmpty()) {
			throw failure(unknown);
		}
	}

	private static boolean isEnvironmentVariables(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof org.springframework.core.env.PropertySource<?> propertySource
				&& StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(propertySource.getName());
	}

	private static boolean isKnown(ConfigurationPropertyName name) {
		List<String> elements = elements(name, ConfigurationPropertyName.Form.UNIFORM);
		boolean indexed = elements.size() < name.getNumberOfElements();
		for (Known pattern : knownNames()) {
			if (matches(pattern.uniform(), elements)) {
				// an index only on a list: "file-mode: [0600]" would bind nothing and leave the default
				boolean free = pattern.uniform().contains("**");
				if (!indexed || free || (pattern.list() && elements.size() == pattern.uniform().size())) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The name's elements without trailing list indexes: {@code allowed-uids[0]} and
	 * {@code allowed-uids.0} (both bind a list's element) are {@code allowed-uids}.
	 */
	private static List<String> elements(ConfigurationPropertyName name, ConfigurationPropertyName.Form form) {
		int size = name.getNumberOfElements();
		while (size > 0 && (name.isNumericIndex(size - 1)
				|| name.getElement(size - 1, ConfigurationPropertyName.Form.ORIGINAL).matches("[0-9]+"))) {
			size--;
		}
		List<String> elements = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			elements.add(name.getElement(i, form));
		}
		return elements;
	}

	/**
	 * A name matches a known property, or is a part of one (a YAML key left empty), or lies under
	 * a property of map type whose entries are free-form ({@code "**"}).
	 */
	private static boolean matches(List<String> pattern, List<String> elements) {
		for (int i = 0; i < elements.size(); i++) {
			if (i >= pattern.size()) {
				return false;
			}
			String expected = pattern.get(i);
			if (expected.equals("**")) {
				return true;
			}
			if (!expected.equals("*") && !expected.equals(elements.get(i))) {
				return false;
			}
		}
		return true;
	}

	private static UdsStartupException failure(Map<ConfigurationPropertyName, ConfigurationProperty> unknown) {
		StringBuilder description = new StringBuilder(
				"The configuration sets properties that uds-spring-boot does not have; they would be ignored:\n");
		unknown.forEach((name, property) -> {
			description.append("\n    - ").append(name);
			if (property.getOrigin() != null) {
				description.append(" (").append(property.getOrigin()).append(')');
			}
			nearest(name).ifPresent((nearest) -> description.append(": did you mean ").append(nearest).append('?'));
		});
		return new UdsStartupException(description.toString(),
				"Correct or remove " + ((unknown.size() == 1) ? "it" : "them")
						+ ". Every property is listed in docs/configuration.md, and IDEs complete them from the "
						+ "starter's configuration metadata.");
	}

	private static java.util.Optional<String> nearest(ConfigurationPropertyName name) {
		List<String> elements = elements(name, ConfigurationPropertyName.Form.DASHED);
		List<String> candidates = new ArrayList<>();
		for (Known known : knownNames()) {
			List<String> pattern = known.dashed();
			List<String> candidate = new ArrayList<>(pattern.size());
			for (int i = 0; i < pattern.size(); i++) {
				String element = pattern.get(i);
				boolean wildcard = element.equals("*") || element.equals("**");
				candidate.add((wildcard && i < elements.size()) ? elements.get(i) : element);
			}
			candidates.add(String.join(".", candidate));
		}
		return NearestName.in(String.join(".", elements), candidates);
	}

	/**
	 * A property name from the metadata, for matching (uniform form) and for display (dashed), and
	 * whether it is a list (whose elements are indexed).
	 */
	private record Known(List<String> uniform, List<String> dashed, boolean list) {
	}

	private static List<Known> knownNames() {
		List<Known> names = known;
		if (names == null) {
			names = readMetadata();
			known = names;
		}
		return names;
	}

	/**
	 * Reads the {@code uds.*} names of every configuration metadata file on the class path: the
	 * starter's, and an application's own properties under {@code uds.} (the sample's
	 * {@code uds.sample.*}), generated by the configuration processor or written by hand. Files
	 * that do not mention {@code "uds.} are not parsed.
	 */
	private static List<Known> readMetadata() {
		ClassLoader classLoader = UdsPropertyNames.class.getClassLoader();
		List<String> names = new ArrayList<>();
		Map<String, String> types = new LinkedHashMap<>();
		for (String resource : METADATA) {
			try {
				for (URL url : java.util.Collections.list(classLoader.getResources(resource))) {
					readNames(url, names, types);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read configuration metadata " + resource, ex);
			}
		}
		List<Known> patterns = new ArrayList<>();
		for (String name : names) {
			boolean freeMap = types.getOrDefault(name, "").startsWith("java.util.Map<")
					&& names.stream().noneMatch((other) -> other.startsWith(name + ".*."));
			List<String> dashed = new ArrayList<>(List.of(name.split("\\.")));
			if (freeMap) {
				dashed.add("**");
			}
			List<String> uniform = dashed.stream()
				.map((element) -> element.startsWith("*") ? element
						: element.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", ""))
				.toList();
			String type = types.getOrDefault(name, "");
			boolean list = type.endsWith("[]") || type.startsWith("java.util.List<") || type.startsWith("java.util.Set<")
					|| type.startsWith("java.util.Collection<");
			patterns.add(new Known(uniform, List.copyOf(dashed), list));
		}
		return List.copyOf(patterns);
	}

	private static void readNames(URL url, List<String> names, Map<String, String> types) throws IOException {
		byte[] content;
		try (InputStream in = url.openStream()) {
			content = in.readAllBytes();
		}
		if (!new String(content, java.nio.charset.StandardCharsets.UTF_8).contains("\"uds.")) {
			return;
		}
		JsonNode metadata = JsonMapper.builder().build().readTree(content);
		metadata.path("properties").forEach((property) -> {
			String name = property.path("name").asString();
			if (name.startsWith("uds.") && !names.contains(name)) {
				names.add(name);
				types.put(name, property.path("type").asString());
			}
		});
	}

}
