package dev.udsboot.socket;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import org.jspecify.annotations.Nullable;

/**
 * Trusts a server that presents one of the certificates of a listener's bundle as it is now: the
 * trust of the listener's own connections to it ({@link TcpTls#ownClientContext()}), pinned to
 * exactly what the listener serves, before and after a reload, whatever its bundle trusts.
 */
final class ListenerCertificates implements X509TrustManager {

	/** Key types whose server certificates a listener may present. */
	private static final String[] KEY_TYPES = { "RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA" };

	private final Supplier<@Nullable X509KeyManager> current;

	ListenerCertificates(Supplier<@Nullable X509KeyManager> current) {
		this.current = current;
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		if (chain == null || chain.length == 0 || !isOwn(chain[0])) {
			throw new CertificateException("Not this listener's own certificate");
		}
	}

	private boolean isOwn(X509Certificate presented) {
		X509KeyManager keys = this.current.get();
		if (keys == null) {
			return false;
		}
		for (String keyType : KEY_TYPES) {
			String[] aliases = keys.getServerAliases(keyType, null);
			for (String alias : (aliases != null) ? aliases : new String[0]) {
				X509Certificate[] own = keys.getCertificateChain(alias);
				if (own != null && own.length > 0 && own[0].equals(presented)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("A listener's own client trusts no client");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

}
