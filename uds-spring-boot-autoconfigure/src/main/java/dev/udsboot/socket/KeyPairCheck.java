package dev.udsboot.socket;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

import org.jspecify.annotations.Nullable;

/**
 * Checks that each private key of a reloaded bundle belongs to its certificate, by signing with
 * the one and verifying with the other. Spring Boot reloads a bundle once its files are quiet;
 * a renewal that writes the certificate long before the key would otherwise give a listener a
 * pair every handshake fails with.
 */
final class KeyPairCheck {

	private static final String[] KEY_TYPES = { "RSA", "EC", "EdDSA", "DSA" };

	private static final byte[] PROBE = "uds-spring-boot key pair check".getBytes(StandardCharsets.US_ASCII);

	private KeyPairCheck() {
	}

	/**
	 * Checks every alias of every X.509 key manager.
	 * @param keyManagers the bundle's key managers
	 * @throws IllegalArgumentException naming the first alias whose key and certificate differ
	 */
	static void requireMatching(KeyManager[] keyManagers) {
		for (KeyManager manager : keyManagers) {
			if (manager instanceof X509KeyManager keys) {
				for (String keyType : KEY_TYPES) {
					String[] aliases = keys.getServerAliases(keyType, null);
					for (String alias : (aliases != null) ? aliases : new String[0]) {
						X509Certificate[] chain = keys.getCertificateChain(alias);
						PrivateKey key = keys.getPrivateKey(alias);
						if (chain != null && chain.length > 0 && key != null && !matches(key, chain[0].getPublicKey())) {
							throw new IllegalArgumentException("the private key of '" + alias
									+ "' does not belong to its certificate (" + chain[0].getSubjectX500Principal() + ")");
						}
					}
				}
			}
		}
	}

	private static boolean matches(PrivateKey key, PublicKey certified) {
		if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
			return false;
		}
		String algorithm = signatureAlgorithm(key);
		if (algorithm == null) {
			// a key type this check does not know: the handshakes will tell
			return true;
		}
		try {
			Signature signer = Signature.getInstance(algorithm);
			signer.initSign(key);
			signer.update(PROBE);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm);
			verifier.initVerify(certified);
			verifier.update(PROBE);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	/** The signature for the key's algorithm; {@code null} for one this check does not know. */
	private static @Nullable String signatureAlgorithm(PrivateKey key) {
		return switch (key.getAlgorithm()) {
			case "RSA" -> "SHA256withRSA";
			case "EC" -> "SHA256withECDSA";
			case "DSA" -> "SHA256withDSA";
			case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
			default -> null;
		};
	}

}
