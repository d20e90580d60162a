package dev.udsboot.health;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.udsboot.listener.FileDescriptorLimit;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerDefinition;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsListenerType;
import dev.udsboot.listener.source.TcpSource;
import dev.udsboot.socket.TcpTls;

/**
 * The health of one listener: UP only when it is running, its socket file (if it has one) is still
 * the one it bound, and a probe through its socket is answered within the timeout; DOWN with the
 * reason otherwise. A stream listener that sheds connections because the process is out of file
 * descriptors is DOWN, with that reason: no new client can be served, as if it were not there; it
 * is UP again at the first check after descriptors are free, since the probe is then served. Details name the listener, its address and type, its open connections and its
 * counters.
 */
public class UdsListenerHealthIndicator implements HealthIndicator {

	private final UdsListenerContainer container;

	private final Duration probeTimeout;

	private volatile @Nullable SSLContext probeTls;

	/**
	 * Creates an indicator.
	 * @param container the listener's container
	 * @param probeTimeout how long a probe through the socket may take
	 */
	public UdsListenerHealthIndicator(UdsListenerContainer container, Duration probeTimeout) {
		this.container = container;
		this.probeTimeout = probeTimeout;
	}

	@Override
	public Health health() {
		Health.Builder builder = Health.up().withDetails(details());
		String reason = ListenerSocketCheck.problem(this.container);
		if (reason == null && (this.container.isOutOfFileDescriptors() || FileDescriptorLimit.isNearlyExhausted())) {
			// no probe then: it would fail anyway, and its connection would hold a descriptor the
			// listener needs to shed connections with, for the whole probe timeout
			reason = outOfDescriptors();
		}
		if (reason == null) {
			ListenerProber.ProbeResult probe = probe();
			builder.withDetail("probe", probe.detail());
			if (!probe.answered()) {
				reason = probeFailure(probe);
			}
		}
		return (reason != null) ? builder.down().withDetail("reason", reason).build() : builder.build();
	}

	/**
	 * Why a probe failed. Out of file descriptors, the probe fails too (it needs one to connect,
	 * and the listener sheds it), so that is said plainly rather than as the probe's symptom. The
	 * reason stays the same while it lasts; the count is in the counters.
	 */
	private String probeFailure(ListenerProber.ProbeResult probe) {
		if (this.container.isOutOfFileDescriptors() || FileDescriptorLimit.isExhaustion(probe.detail())) {
			return outOfDescriptors();
		}
		return "a probe through the socket failed: " + probe.detail();
	}

	/** A probe through the socket, answered by the container's {@link ListenerProber}. */
	private ListenerProber.ProbeResult probe() {
		ListenerProber prober = ListenerProber.forContainer(this.container);
		UdsListenerDefinition definition = this.container.getDefinition();
		return (definition.type() == UdsListenerType.DATAGRAM)
				? prober.probeDatagram(Objects.requireNonNull(definition.udsAddress()), this.probeTimeout)
				: prober.probeStream(this.container.getAddress(), this.probeTimeout, probeTls());
	}

	/** The client side of a TLS listener's handshake, made once. */
	private @Nullable SSLContext probeTls() {
		TcpTls tls = (this.container.getSource() instanceof TcpSource tcp) ? tcp.tls() : null;
		if (tls == null) {
			return null;
		}
		SSLContext context = this.probeTls;
		if (context == null) {
			try {
				context = tls.ownClientContext();
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Cannot make the TLS context of the health probe", ex);
			}
			this.probeTls = context;
		}
		return context;
	}

	private static String outOfDescriptors() {
		return "the process is out of file descriptors (" + FileDescriptorLimit.describeLimit()
				+ "): new connections are closed unserved until descriptors are free (counted in connectionsShed)";
	}

	private Map<String, Object> details() {
		UdsListenerDefinition definition = this.container.getDefinition();
		UdsListenerStatistics statistics = this.container.getStatistics();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("listener", definition.name());
		details.put("address", this.container.getAddress().toString());
		details.put("type", definition.type().name().toLowerCase(Locale.ROOT));
		if (definition.type() != UdsListenerType.DATAGRAM) {
			details.put("connections", this.container.getActiveConnections());
		}
		details.put("counters", statistics.toMap());
		return details;
	}

}
