package dev.udsboot.socket;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Who is at the other end of a TLS connection, as the handshake verified it: the client's
 * certificate chain, leaf first. The TCP analogue of {@link PeerCredentials}.
 *
 * @param chain the verified chain, leaf first; never empty
 */
public record PeerCertificates(List<X509Certificate> chain) {

	/**
	 * Checks the chain.
	 * @param chain the verified chain, leaf first
	 */
	public PeerCertificates {
		if (chain.isEmpty()) {
			throw new IllegalArgumentException("A peer's certificate chain is never empty");
		}
		chain = List.copyOf(chain);
	}

	/**
	 * Returns the client's certificate.
	 * @return the leaf of the chain
	 */
	public X509Certificate certificate() {
		return this.chain.get(0);
	}

	/**
	 * Returns whom the client's certificate names.
	 * @return its subject, e.g. {@code CN=billing,O=Example}
	 */
	public X500Principal principal() {
		return certificate().getSubjectX500Principal();
	}

}
