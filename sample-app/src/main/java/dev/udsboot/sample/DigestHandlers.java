package dev.udsboot.sample;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The {@code digest} listener: a line with descriptors attached is answered with the size and
 * SHA-256 of what each descriptor holds, read to its end.
 */
@Component
public class DigestHandlers {

	/**
	 * Digests every descriptor that came with the line.
	 * @param line the request line (its content is not used)
	 * @param descriptors the descriptors sent with it; the starter closes them afterwards
	 * @return {@code {"count":N,"digests":[{"bytes":B,"sha256":"hex"},...]}}
	 * @throws IOException if a descriptor cannot be read
	 */
	@UdsHandler("digest")
	public Digests digest(String line, FileDescriptor[] descriptors) throws IOException {
		List<Digest> digests = new ArrayList<>();
		for (FileDescriptor descriptor : descriptors) {
			digests.add(digest(new BufferedInputStream(new FileInputStream(descriptor))));
		}
		return new Digests(digests.size(), digests);
	}

	private static Digest digest(InputStream in) throws IOException {
		MessageDigest sha256;
		try {
			sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		long bytes = 0;
		try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
			byte[] buffer = new byte[8192];
			for (int n; (n = digesting.read(buffer)) >= 0;) {
				bytes += n;
			}
		}
		return new Digest(bytes, HexFormat.of().formatHex(sha256.digest()));
	}

	/**
	 * The reply.
	 * @param count how many descriptors came with the request
	 * @param digests one per descriptor, in order
	 */
	public record Digests(int count, List<Digest> digests) {
	}

	/**
	 * One descriptor's content.
	 * @param bytes its length
	 * @param sha256 its SHA-256, in hex
	 */
	public record Digest(long bytes, String sha256) {
	}

}
