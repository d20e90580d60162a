package dev.udsboot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import dev.udsboot.socket.FileModes;
import dev.udsboot.socket.SocketFileOptions;

/**
 * How a socket file is created, as configured: the part of a listener's properties, and of the
 * management socket's, that becomes {@link SocketFileOptions}. The modes' initialisers are
 * {@link SocketFileOptions#defaults()} spelt as literals, which the configuration metadata
 * processor can read (it cannot read a constant of another class); a test holds them equal.
 */
public class SocketFileProperties {

	/**
	 * Permissions of the socket file, symbolic (rw-rw----) or octal (0660).
	 */
	private String fileMode = "rw-rw----";

	/**
	 * Group owner of the socket file; the process's group when not set.
	 */
	private @Nullable String fileGroup;

	/**
	 * Whether to create missing parent directories of the socket file.
	 */
	private boolean createDirectories;

	/**
	 * Permissions of parent directories created for the socket file.
	 */
	private String directoryMode = "rwx------";

	public String getFileMode() {
		return this.fileMode;
	}

	public void setFileMode(String fileMode) {
		this.fileMode = fileMode;
	}

	public @Nullable String getFileGroup() {
		return this.fileGroup;
	}

	public void setFileGroup(@Nullable String fileGroup) {
		this.fileGroup = fileGroup;
	}

	public boolean isCreateDirectories() {
		return this.createDirectories;
	}

	public void setCreateDirectories(boolean createDirectories) {
		this.createDirectories = createDirectories;
	}

	public String getDirectoryMode() {
		return this.directoryMode;
	}

	public void setDirectoryMode(String directoryMode) {
		this.directoryMode = directoryMode;
	}

	/**
	 * Checks these settings and returns them as options.
	 * @param prefix the properties' prefix, with its trailing dot, for error messages
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException naming the property, for a mode that
	 * cannot be parsed or a group that does not exist
	 */
	public SocketFileOptions toSocketFileOptions(String prefix) {
		return new SocketFileOptions(mode(prefix + "file-mode", this.fileMode),
				group(prefix + "file-group", this.fileGroup), this.createDirectories,
				mode(prefix + "directory-mode", this.directoryMode));
	}

	private static java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(String property, String mode) {
		try {
			return FileModes.parse(mode);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, mode, ex.getMessage());
		}
	}

	private static @Nullable String group(String property, @Nullable String group) {
		if (group == null) {
			return null;
		}
		try {
			java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
			return group;
		}
		catch (java.io.IOException ex) {
			throw new InvalidConfigurationPropertyValueException(property, group, "No such group on this system");
		}
	}

}
