package dev.udsboot.autoconfigure.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the {@code uds} health contributor.
 */
@ConfigurationProperties("management.health.uds")
public class UdsHealthIndicatorProperties {

	/**
	 * How long a probe through a listener's socket may take before the listener is reported DOWN.
	 */
	private Duration probeTimeout = Duration.ofSeconds(2);

	/**
	 * Returns how long a probe may take.
	 * @return the timeout
	 */
	public Duration getProbeTimeout() {
		return this.probeTimeout;
	}

	/**
	 * Sets how long a probe may take.
	 * @param probeTimeout the timeout
	 */
	public void setProbeTimeout(Duration probeTimeout) {
		this.probeTimeout = probeTimeout;
	}

}
