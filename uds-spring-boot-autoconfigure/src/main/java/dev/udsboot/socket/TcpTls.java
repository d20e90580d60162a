package dev.udsboot.socket;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;

import org.jspecify.annotations.Nullable;

/**
 * TLS on a TCP listener: the server's context, made from a Spring Boot SSL bundle, whether clients
 * present certificates, and the bundle's key managers, with which the listener's own health probe
 * authenticates when certificates are required. When the bundle is reloaded (its
 * {@code reload-on-update}), {@link #reload} replaces the context: new connections present the
 * new certificate, and established ones keep the session they have.
 */
public final class TcpTls {

	private final String bundle;

	private final ClientAuth clientAuth;

	private volatile Material material;

	/**
	 * Creates TLS settings.
	 * @param bundle the name of the {@code spring.ssl.bundle.*} bundle, for log lines and reports
	 * @param context the server's TLS context
	 * @param keyManagers the bundle's key managers
	 * @param clientAuth whether clients present certificates
	 * @param enabledProtocols the bundle's {@code options.enabled-protocols}, or {@code null} for
	 * the JDK's
	 * @param ciphers the bundle's {@code options.ciphers}, or {@code null} for the JDK's
	 */
	public TcpTls(String bundle, SSLContext context, KeyManager[] keyManagers, ClientAuth clientAuth,
			String @Nullable [] enabledProtocols, String @Nullable [] ciphers) {
		this.bundle = bundle;
		this.clientAuth = clientAuth;
		this.material = new Material(context, keyManagers, enabledProtocols, ciphers);
	}

	/**
	 * Returns the name of the bundle.
	 * @return the {@code spring.ssl.bundle.*} bundle's name
	 */
	public String bundle() {
		return this.bundle;
	}

	/**
	 * Returns whether clients present certificates.
	 * @return the client authentication
	 */
	public ClientAuth clientAuth() {
		return this.clientAuth;
	}

	/**
	 * Replaces what the listener's new connections are secured with: the bundle was reloaded.
	 * @param context the server's new TLS context
	 * @param keyManagers the bundle's new key managers
	 * @param enabledProtocols the bundle's {@code options.enabled-protocols}, or {@code null}
	 * @param ciphers the bundle's {@code options.ciphers}, or {@code null}
	 * @throws IllegalArgumentException if a private key does not belong to its certificate (a
	 * renewal caught between writing the two): the previous material stays
	 */
	public void reload(SSLContext context, KeyManager[] keyManagers, String @Nullable [] enabledProtocols,
			String @Nullable [] ciphers) {
		KeyPairCheck.requireMatching(keyManagers);
		this.material = new Material(context, keyManagers, enabledProtocols, ciphers);
	}

	/**
	 * Puts the server side of TLS over an accepted connection, with the bundle's current context
	 * and options; the handshake happens at the first read or write.
	 * @param accepted the TCP connection
	 * @return the TLS socket over it, which closes it when closed
	 * @throws IOException if the TLS socket cannot be made
	 */
	public SSLSocket secure(Socket accepted) throws IOException {
		Material current = this.material;
		SSLSocket secured = (SSLSocket) current.context()
			.getSocketFactory()
			.createSocket(accepted, accepted.getInetAddress().getHostAddress(), accepted.getPort(), true);
		secured.setUseClientMode(false);
		if (current.enabledProtocols() != null) {
			secured.setEnabledProtocols(current.enabledProtocols());
		}
		if (current.ciphers() != null) {
			secured.setEnabledCipherSuites(current.ciphers());
		}
		switch (this.clientAuth) {
			case NEED -> secured.setNeedClientAuth(true);
			case WANT -> secured.setWantClientAuth(true);
			case NONE -> secured.setWantClientAuth(false);
		}
		return secured;
	}

	/**
	 * Makes the client side of a handshake with this listener, for the application's own
	 * connections to it (its health probe, {@code UdsTemplates.forListener}): it presents the
	 * bundle's certificate (a listener that requires client certificates lets it in only if its
	 * bundle trusts that), and trusts exactly the certificate this listener presents, whatever the
	 * bundle trusts. Both follow the bundle's reloads.
	 * @return a client context
	 * @throws GeneralSecurityException if the JDK has no TLS
	 */
	public SSLContext ownClientContext() throws GeneralSecurityException {
		SSLContext client = SSLContext.getInstance(this.material.context().getProtocol());
		client.init(new KeyManager[] { new ListenerKeys(this::keyManager) },
				new TrustManager[] { new ListenerCertificates(this::keyManager) }, null);
		return client;
	}

	/** The bundle's current X.509 key manager, or {@code null} if it has none. */
	private @Nullable X509KeyManager keyManager() {
		for (KeyManager manager : this.material.keyManagers()) {
			if (manager instanceof X509KeyManager x509) {
				return x509;
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "TLS from SSL bundle '" + this.bundle + "', client-auth " + this.clientAuth;
	}

	/** What one version of the bundle gives: the context, its key managers and its options. */
	private record Material(SSLContext context, KeyManager[] keyManagers, String @Nullable [] enabledProtocols,
			String @Nullable [] ciphers) {
	}

	/** Whether a TLS server asks its clients for certificates. */
	public enum ClientAuth {

		/** No client certificate is asked for. */
		NONE,

		/** A client certificate is asked for; a client without one is let in. */
		WANT,

		/** A client certificate is required; a client without one is refused. */
		NEED

	}

}
