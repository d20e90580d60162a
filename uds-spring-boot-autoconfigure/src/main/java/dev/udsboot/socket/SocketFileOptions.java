package dev.udsboot.socket;

import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * How a socket file is created: its permissions and group, and whether missing parent directories
 * are created (with {@code directoryMode}).
 *
 * @param fileMode permissions of the socket file; it is never reachable with wider ones
 * @param fileGroup group owner of the socket file, or {@code null} to keep the process's group
 * @param createDirectories whether to create missing parent directories
 * @param directoryMode permissions of directories created for the socket
 */
public record SocketFileOptions(Set<PosixFilePermission> fileMode, @Nullable String fileGroup,
		boolean createDirectories, Set<PosixFilePermission> directoryMode) {

	/** The default socket file mode, {@code rw-rw----}. */
	public static final String DEFAULT_FILE_MODE = "rw-rw----";

	/** The default mode of created directories, {@code rwx------}. */
	public static final String DEFAULT_DIRECTORY_MODE = "rwx------";

	/**
	 * Returns the defaults: mode {@code rw-rw----}, process group, no directory creation.
	 * @return the default options
	 */
	public static SocketFileOptions defaults() {
		return new SocketFileOptions(FileModes.parse(DEFAULT_FILE_MODE), null, false,
				FileModes.parse(DEFAULT_DIRECTORY_MODE));
	}

	/**
	 * Names the properties whose values differ from {@link #defaults()}: what a user set.
	 * @return the property names after the prefix, e.g. {@code [file-mode, create-directories]}
	 */
	public List<String> propertiesOtherThanDefaults() {
		SocketFileOptions defaults = defaults();
		List<String> changed = new ArrayList<>();
		if (!this.fileMode.equals(defaults.fileMode())) {
			changed.add("file-mode");
		}
		if (this.fileGroup != null) {
			changed.add("file-group");
		}
		if (this.createDirectories) {
			changed.add("create-directories");
		}
		if (!this.directoryMode.equals(defaults.directoryMode())) {
			changed.add("directory-mode");
		}
		return changed;
	}

}
