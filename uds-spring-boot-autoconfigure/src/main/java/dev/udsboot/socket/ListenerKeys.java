package dev.udsboot.socket;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

import org.jspecify.annotations.Nullable;

/**
 * The client keys of a listener's own connections to it ({@link TcpTls#ownClientContext()}): the
 * keys of the listener's bundle as they are now, so that a connection made after a reload presents
 * the renewed certificate.
 */
final class ListenerKeys extends X509ExtendedKeyManager {

	private final Supplier<@Nullable X509KeyManager> current;

	ListenerKeys(Supplier<@Nullable X509KeyManager> current) {
		this.current = current;
	}

	@Override
	public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
		X509KeyManager keys = this.current.get();
		return (keys != null) ? keys.getClientAliases(keyType, issuers) : null;
	}

	@Override
	public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
			@Nullable Socket socket) {
		X509KeyManager keys = this.current.get();
		return (keys != null) ? keys.chooseClientAlias(keyTypes, issuers, socket) : null;
	}

	@Override
	public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers,
			@Nullable SSLEngine engine) {
		X509KeyManager keys = this.current.get();
		if (keys instanceof X509ExtendedKeyManager extended) {
			return extended.chooseEngineClientAlias(keyTypes, issuers, engine);
		}
		return (keys != null) ? keys.chooseClientAlias(keyTypes, issuers, null) : null;
	}

	@Override
	public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
		X509KeyManager keys = this.current.get();
		return (keys != null) ? keys.getServerAliases(keyType, issuers) : null;
	}

	@Override
	public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers,
			@Nullable Socket socket) {
		// the client side of a handshake never serves
		return null;
	}

	@Override
	public X509Certificate @Nullable [] getCertificateChain(String alias) {
		X509KeyManager keys = this.current.get();
		return (keys != null) ? keys.getCertificateChain(alias) : null;
	}

	@Override
	public @Nullable PrivateKey getPrivateKey(String alias) {
		X509KeyManager keys = this.current.get();
		return (keys != null) ? keys.getPrivateKey(alias) : null;
	}

}
