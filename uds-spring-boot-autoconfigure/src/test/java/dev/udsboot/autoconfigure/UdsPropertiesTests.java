package dev.udsboot.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.udsboot.autoconfigure.management.UdsManagementProperties;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.socket.FileModes;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.UdsAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The {@code uds.listeners.*} defaults, written as field initialisers for the configuration
 * metadata, are the runtime's: {@link UdsListenerDefaults} and {@link SocketFileOptions#defaults()}.
 */
class UdsPropertiesTests {

	@Test
	void aListenerLeftAtItsDefaultsIsTheRuntimesDefaultDefinition() {
		UdsProperties.Listener listener = new UdsProperties.Listener();
		listener.setPath("/run/app/echo.sock");
		UdsProperties properties = new UdsProperties();
		properties.getListeners().put("echo", listener);
		UdsListenerDefinition definition = PropertiesListenerDefinitions.from(properties, null).find("echo");
		assertThat(definition)
			.isEqualTo(UdsListenerDefaults.definition("echo", UdsAddress.ofPath(Path.of("/run/app/echo.sock"))));
	}

	@Test
	void listenerPropertyDefaultsMatchTheRuntimeDefaults() {
		UdsProperties.Listener listener = new UdsProperties.Listener();
		assertThat(listener.getType()).isEqualTo(UdsListenerDefaults.TYPE);
		// unset means the default: a datagram listener must not have one
		assertThat(listener.getFraming()).isNull();
		assertThat(listener.getConcurrency()).isNull();
		assertThat(listener.getMaxMessageSize().toBytes()).isEqualTo(UdsListenerDefaults.MAX_MESSAGE_SIZE);
		assertThat(listener.getBacklog()).isEqualTo(UdsListenerDefaults.BACKLOG);
		assertThat(listener.getMaxConnections()).isEqualTo(UdsListenerDefaults.MAX_CONNECTIONS);
		assertThat(listener.getIdleTimeout()).isEqualTo(UdsListenerDefaults.IDLE_TIMEOUT);
		assertThat(listener.getAllowedUids()).isEmpty();
		assertThat(listener.getAllowedGids()).isEmpty();
		assertThat(listener.getMaxFileDescriptors()).isEqualTo(UdsListenerDefaults.MAX_FILE_DESCRIPTORS);
		assertThat(listener.getCharset()).isEqualTo(UdsListenerDefaults.CHARSET);
		assertThat(listener.getActivation()).isEqualTo(UdsListenerDefaults.ACTIVATION);
		assertThat(listener.toSocketFileOptions("uds.listeners.echo.")).isEqualTo(SocketFileOptions.defaults());
	}

	@Test
	void theDefaultsPassValidationForBothTypes() {
		UdsProperties properties = new UdsProperties();
		UdsProperties.Listener stream = new UdsProperties.Listener();
		stream.setPath("/run/app/stream.sock");
		UdsProperties.Listener datagram = new UdsProperties.Listener();
		datagram.setPath("/run/app/datagram.sock");
		datagram.setType(UdsListenerType.DATAGRAM);
		properties.getListeners().put("stream", stream);
		properties.getListeners().put("datagram", datagram);
		assertThatNoException().isThrownBy(properties::afterPropertiesSet);
	}

	@Test
	void socketFilePropertyDefaultsMatchTheRuntimeDefaults() {
		SocketFileProperties properties = new SocketFileProperties();
		SocketFileOptions defaults = SocketFileOptions.defaults();
		assertThat(FileModes.parse(properties.getFileMode())).isEqualTo(defaults.fileMode());
		assertThat(properties.getFileGroup()).isEqualTo(defaults.fileGroup());
		assertThat(properties.isCreateDirectories()).isEqualTo(defaults.createDirectories());
		assertThat(FileModes.parse(properties.getDirectoryMode())).isEqualTo(defaults.directoryMode());
		assertThat(properties.getFileMode()).isEqualTo(SocketFileOptions.DEFAULT_FILE_MODE);
		assertThat(properties.getDirectoryMode()).isEqualTo(SocketFileOptions.DEFAULT_DIRECTORY_MODE);
		assertThat(new UdsManagementProperties().toSocketFileOptions("uds.management.")).isEqualTo(defaults);
	}

}
