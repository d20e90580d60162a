package dev.udsboot.socket;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Parses file permission strings in either symbolic ({@code rw-rw----}) or octal
 * ({@code 0660}) form.
 */
public final class FileModes {

	private static final PosixFilePermission[] BITS_HIGH_TO_LOW = { PosixFilePermission.OWNER_READ,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE };

	private FileModes() {
	}

	/**
	 * Parses a mode.
	 * @param mode nine symbolic characters such as {@code rw-rw----}, or three or four octal digits
	 * such as {@code 0660}
	 * @return the permissions
	 * @throws IllegalArgumentException if the string is neither form
	 */
	public static Set<PosixFilePermission> parse(String mode) {
		String trimmed = mode.trim();
		if (trimmed.matches("0?[0-7]{3}")) {
			int bits = Integer.parseInt(trimmed, 8);
			Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
			for (int i = 0; i < BITS_HIGH_TO_LOW.length; i++) {
				if ((bits & (1 << (8 - i))) != 0) {
					permissions.add(BITS_HIGH_TO_LOW[i]);
				}
			}
			return permissions;
		}
		try {
			return PosixFilePermissions.fromString(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"'" + mode + "' is not a file mode: use nine characters such as rw-rw---- or octal such as 0660");
		}
	}

}
