package dev.udsboot.autoconfigure.management;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.udsboot.autoconfigure.SocketFileProperties;

/**
 * Actuator over a Unix domain socket.
 */
@ConfigurationProperties("uds.management")
public class UdsManagementProperties extends SocketFileProperties {

	/**
	 * Socket file on which Actuator's exposed endpoints answer HTTP (curl --unix-socket); unset, no
	 * such socket.
	 */
	private @Nullable String path;

	private final Exposure exposure = new Exposure();

	public @Nullable String getPath() {
		return this.path;
	}

	public void setPath(@Nullable String path) {
		this.path = path;
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
