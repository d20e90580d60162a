package dev.udsboot.autoconfigure.client;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;
import org.springframework.util.unit.DataSize;

import dev.udsboot.client.UdsTemplateBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code uds.client.*} defaults, written as field initialisers for the configuration metadata,
 * are those of a {@link UdsTemplateBuilder} made without the properties (as
 * {@code UdsTemplate.builder(address)} makes one).
 */
class UdsClientPropertiesTests {

	@Test
	void everyDefaultIsTheTemplateBuilders() {
		UdsClientProperties properties = new UdsClientProperties();
		UdsTemplateBuilder builder = new UdsTemplateBuilder();
		List<Field> fields = Arrays.stream(UdsClientProperties.class.getDeclaredFields())
			.filter((field) -> !Modifier.isStatic(field.getModifiers()))
			.toList();
		assertThat(fields).extracting(Field::getName)
			.contains("framing", "maxMessageSize", "timeout", "mode", "maxConnections", "validateAfterInactivity",
					"maxFileDescriptors", "charset");
		for (Field field : fields) {
			ReflectionUtils.makeAccessible(field);
			Object value = ReflectionUtils.getField(field, properties);
			// the builder takes a size in bytes
			Object expected = (value instanceof DataSize size) ? (Object) (int) size.toBytes() : value;
			assertThat(builder).as(field.getName()).hasFieldOrPropertyWithValue(field.getName(), expected);
		}
	}

	@Test
	void theDefaultsPassValidation() {
		new UdsClientProperties().afterPropertiesSet();
	}

}
