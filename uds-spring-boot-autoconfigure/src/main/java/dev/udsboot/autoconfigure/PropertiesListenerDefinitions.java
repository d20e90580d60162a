package dev.udsboot.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import dev.udsboot.config.UdsListenerDefinitions;
import dev.udsboot.framing.Framing;
import dev.udsboot.listener.UdsListenerDefaults;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.socket.SocketFileOptions;
import dev.udsboot.socket.TcpTls;

/**
 * Maps {@code uds.listeners.*} to the runtime's {@link UdsListenerDefinitions}, applying the
 * defaults of unset properties.
 */
final class PropertiesListenerDefinitions {

	private static final Log logger = LogFactory.getLog(PropertiesListenerDefinitions.class);

	private PropertiesListenerDefinitions() {
	}

	/**
	 * Returns the configured listeners.
	 * @param properties the validated properties
	 * @param sslBundles Spring Boot's SSL bundles, which TLS listeners name, or {@code null} if
	 * there are none
	 * @return one definition per {@code uds.listeners.<name>}, in configuration order
	 */
	static UdsListenerDefinitions from(UdsProperties properties, @Nullable SslBundles sslBundles) {
		return UdsListenerDefinitions.of(properties.getListeners()
			.entrySet()
			.stream()
			.map((entry) -> toDefinition(entry, properties.getObservations().isEnabled(), sslBundles))
			.toList());
	}

	private static UdsListenerDefinition toDefinition(Map.Entry<String, UdsProperties.Listener> entry,
			boolean observationsEnabled, @Nullable SslBundles sslBundles) {
		String name = entry.getKey();
		UdsProperties.Listener listener = entry.getValue();
		String prefix = "uds.listeners." + name + ".";
		SocketFileOptions socketFile = listener.toSocketFileOptions(prefix);
		Framing framing = (listener.getFraming() != null) ? listener.getFraming() : UdsListenerDefaults.FRAMING;
		return new UdsListenerDefinition(name, listener.getType(), UdsProperties.address(prefix, listener), framing,
				(int) listener.getMaxMessageSize().toBytes(), socketFile, listener.getBacklog(),
				listener.getMaxConnections(), listener.getIdleTimeout(),
				new LinkedHashSet<>(listener.getAllowedUids()), new LinkedHashSet<>(listener.getAllowedGids()),
				listener.getMaxFileDescriptors(), listener.getCharset(),
				(listener.getConcurrency() != null) ? listener.getConcurrency() : UdsListenerDefaults.CONCURRENCY,
				listener.getActivation(), tls(prefix, listener.getSsl(), sslBundles),
				(listener.getObservationEnabled() != null) ? listener.getObservationEnabled() : observationsEnabled);
	}

	/** TLS from the Spring Boot SSL bundle the listener names. */
	private static @Nullable TcpTls tls(String prefix, UdsProperties.Ssl ssl, @Nullable SslBundles sslBundles) {
		String name = ssl.getBundle();
		if (name == null) {
			return null;
		}
		if (sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException(prefix + "ssl.bundle", name,
					"The application has no SSL bundles: define spring.ssl.bundle.pem." + name + " (or .jks." + name
							+ ") with the server's certificate and key");
		}
		SslBundle bundle;
		try {
			bundle = sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(prefix + "ssl.bundle", name,
					"There is no SSL bundle '" + name + "' (bundles: " + sslBundles.getBundleNames()
							+ "): define spring.ssl.bundle.pem." + name + " (or .jks." + name + ")");
		}
		TcpTls tls = new TcpTls(name, bundle.createSslContext(), bundle.getManagers().getKeyManagers(),
				ssl.getClientAuth(), bundle.getOptions().getEnabledProtocols(), bundle.getOptions().getCiphers());
		// a bundle with reload-on-update: new connections get the new certificate, as Boot's web servers do
		sslBundles.addBundleUpdateHandler(name, (updated) -> {
			try {
				tls.reload(updated.createSslContext(), updated.getManagers().getKeyManagers(),
						updated.getOptions().getEnabledProtocols(), updated.getOptions().getCiphers());
			}
			catch (RuntimeException ex) {
				// a handler that throws would keep Boot from calling the bundle's other handlers
				logger.warn("Cannot reload SSL bundle '" + name + "' (" + prefix + "ssl.bundle): " + ex.getMessage()
						+ "; new connections keep the previous certificate until the files are right");
				return;
			}
			logger.info("Reloaded SSL bundle '" + name + "' (" + prefix + "ssl.bundle): new connections present its "
					+ "new certificate");
		});
		return tls;
	}

}
