package dev.udsboot.autoconfigure.management;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.udsboot.socket.SocketFileOptions;

/**
 * Actuator over a Unix domain socket.
 */
@ConfigurationProperties("uds.management")
public class UdsManagementProperties {

	/**
	 * Socket file on which Actuator's exposed endpoints answer HTTP (curl --unix-socket); unset, no
	 * such socket.
	 */
	private @Nullable String path;

	/**
	 * Permissions of the socket file.
	 */
	private String fileMode = SocketFileOptions.DEFAULT_FILE_MODE;

	/**
	 * Group owner of the socket file; unset, the process's group.
	 */
	private @Nullable String fileGroup;

	/**
	 * Whether to create missing parent directories of the socket file.
	 */
	private boolean createDirectories;

	/**
	 * Permissions of directories created for the socket file.
	 */
	private String directoryMode = SocketFileOptions.DEFAULT_DIRECTORY_MODE;

	private final Exposure exposure = new Exposure();

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
	}

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

	public Exposure getExposure() {
		return this.exposure;
	}

	/**
	 * Which endpoints the socket serves.
	 */
	public static class Exposure {

		/**
		 * Endpoint IDs served over the socket, or '*' for all.
		 */
		private Set<String> include = new LinkedHashSet<>(Set.of("health"));

		/**
		 * Endpoint IDs not served over the socket.
		 */
		private Set<String> exclude = new LinkedHashSet<>();

		public Set<String> getInclude() {
			return this.include;
		}

		public void setInclude(Set<String> include) {
			this.include = include;
		}

		public Set<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(Set<String> exclude) {
			this.exclude = exclude;
		}

	}

}
