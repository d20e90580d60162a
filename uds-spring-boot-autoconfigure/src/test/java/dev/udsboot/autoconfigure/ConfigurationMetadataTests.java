package dev.udsboot.autoconfigure;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every listener property is in the generated configuration metadata with a description, and the
 * documented defaults are the real ones.
 */
class ConfigurationMetadataTests {

	private final Map<String, JsonNode> properties = load();

	private static Map<String, JsonNode> load() {
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			Map<String, JsonNode> byName = new HashMap<>();
			new JsonMapper().readTree(in).get("properties").forEach((p) -> byName.put(p.get("name").asString(), p));
			return byName;
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void everyListenerFieldIsDescribed() {
		List<String> fields = java.util.stream.Stream
			.concat(Arrays.stream(UdsProperties.Listener.class.getDeclaredFields()),
					Arrays.stream(SocketFileProperties.class.getDeclaredFields()))
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.map(Field::getName)
			.map((name) -> "uds.listeners.*." + name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT))
			// the nested ssl group is described by its own properties
			.flatMap((name) -> name.endsWith(".ssl") ? java.util.stream.Stream.of(name + ".bundle", name + ".client-auth")
					: java.util.stream.Stream.of(name))
			.toList();
		assertThat(fields).hasSize(23);
		for (String name : fields) {
			assertThat(this.properties).as(name).containsKey(name);
			assertThat(this.properties.get(name).get("description").asString()).as(name).isNotBlank();
		}
		assertThat(this.properties.get("uds.enabled").get("description").asString()).isNotBlank();
		assertThat(this.properties.get("uds.accept-missing-workarounds").get("description").asString())
			.contains("datagram-bind-guard");
	}

	@Test
	void theHealthAndManagementSocketSettingsAreDescribed() {
		for (String name : List.of("management.health.uds.enabled", "management.health.uds.probe-timeout",
				"uds.management.path", "uds.management.file-mode", "uds.management.file-group",
				"uds.management.create-directories", "uds.management.directory-mode",
				"uds.management.exposure.include", "uds.management.exposure.exclude")) {
			assertThat(this.properties).as(name).containsKey(name);
			assertThat(this.properties.get(name).get("description").asString()).as(name).isNotBlank();
		}
		assertThat(this.properties.get("management.health.uds.probe-timeout").get("defaultValue").asString())
			.isEqualTo(new dev.udsboot.autoconfigure.health.UdsHealthIndicatorProperties().getProbeTimeout().toSeconds()
					+ "s");
	}

	@Test
	void theSystemdSwitchesAreDescribedWithTheirRealDefaults() {
		dev.udsboot.autoconfigure.systemd.UdsSystemdProperties defaults = new dev.udsboot.autoconfigure.systemd.UdsSystemdProperties();
		for (String part : List.of("notify", "watchdog")) {
			String name = "uds.systemd." + part + ".enabled";
			assertThat(this.properties).as(name).containsKey(name);
			assertThat(this.properties.get(name).get("description").asString()).as(name).contains("Whether to");
		}
		assertThat(this.properties.get("uds.systemd.notify.enabled").get("defaultValue").asBoolean())
			.isEqualTo(defaults.getNotify().isEnabled());
		assertThat(this.properties.get("uds.systemd.watchdog.enabled").get("defaultValue").asBoolean())
			.isEqualTo(defaults.getWatchdog().isEnabled());
	}

	@Test
	void documentedDefaultsMatchTheRealOnes() {
		UdsProperties.Listener listener = new UdsProperties.Listener();
		assertThat(org.springframework.util.unit.DataSize.parse(defaultOf("max-message-size")))
			.isEqualTo(listener.getMaxMessageSize());
		assertThat(defaultOf("file-mode")).isEqualTo(listener.getFileMode());
		assertThat(defaultOf("directory-mode")).isEqualTo(listener.getDirectoryMode());
		assertThat(defaultOf("backlog")).isEqualTo(String.valueOf(listener.getBacklog()));
		assertThat(defaultOf("max-connections")).isEqualTo(String.valueOf(listener.getMaxConnections()));
		assertThat(defaultOf("max-file-descriptors")).isEqualTo(String.valueOf(listener.getMaxFileDescriptors()));
		assertThat(defaultOf("create-directories")).isEqualTo(String.valueOf(listener.isCreateDirectories()));
		assertThat(defaultOf("charset")).isEqualTo(listener.getCharset().name());
		assertThat(defaultOf("type")).isEqualTo(listener.getType().name().toLowerCase(java.util.Locale.ROOT));
		assertThat(java.time.Duration.parse("PT" + defaultOf("idle-timeout").toUpperCase(java.util.Locale.ROOT)))
			.isEqualTo(listener.getIdleTimeout());
		// unset in the properties, so that a datagram listener has none: the runtime's default applies
		assertThat(defaultOf("framing"))
			.isEqualTo(dev.udsboot.listener.UdsListenerDefaults.FRAMING.name().toLowerCase(java.util.Locale.ROOT));
		assertThat(defaultOf("concurrency")).isEqualTo(String.valueOf(dev.udsboot.listener.UdsListenerDefaults.CONCURRENCY));
	}

	@Test
	void socketFileDefaultsOfTheManagementSocketAreDocumented() {
		// generated from SocketFileProperties' initialisers, which must be literals for that
		SocketFileProperties defaults = new SocketFileProperties();
		assertThat(this.properties.get("uds.management.file-mode").get("defaultValue").asString())
			.isEqualTo(defaults.getFileMode());
		assertThat(this.properties.get("uds.management.directory-mode").get("defaultValue").asString())
			.isEqualTo(defaults.getDirectoryMode());
	}

	@Test
	void theDefaultsInTheConfigurationGuideAreTheMetadatas() throws java.io.IOException {
		// a table row: | `name` | `default` | meaning |; per-listener names are relative
		java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `([a-z.-]+)` \\| `([^`]*)` \\|");
		String prefix = "";
		int checked = 0;
		for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("../docs/configuration.md"))) {
			if (line.startsWith("Per listener, ")) {
				prefix = "uds.listeners.*.";
			}
			else if (line.startsWith("## ")) {
				prefix = "";
			}
			java.util.regex.Matcher matcher = row.matcher(line);
			if (!matcher.find()) {
				continue;
			}
			String name = matcher.group(1).startsWith("uds.") || matcher.group(1).startsWith("management.")
					? matcher.group(1) : prefix + matcher.group(1);
			// a Set initialiser, which the metadata processor cannot read
			if (name.equals("uds.management.exposure.include")) {
				continue;
			}
			assertThat(this.properties).as(name).containsKey(name);
			JsonNode documented = this.properties.get(name).get("defaultValue");
			assertThat(documented).as("default of %s in the metadata", name).isNotNull();
			String value = documented.isArray() ? documented.toString() : documented.asString();
			assertThat(matcher.group(2)).as("default of %s in docs/configuration.md", name).isEqualTo(value);
			checked++;
		}
		assertThat(checked).isGreaterThan(25);
	}

	private String defaultOf(String property) {
		return this.properties.get("uds.listeners.*." + property).get("defaultValue").asString();
	}

}
