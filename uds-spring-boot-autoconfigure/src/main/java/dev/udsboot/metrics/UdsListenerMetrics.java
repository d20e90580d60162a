package dev.udsboot.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.udsboot.config.UdsListenerEndpointRegistry;
import dev.udsboot.listener.UdsListenerContainer;
import dev.udsboot.listener.UdsListenerStatistics;
import dev.udsboot.listener.UdsListenerType;

/**
 * Binds the meters of every listener, tagged {@code listener} (its name) and {@code type}
 * ({@code stream} or {@code datagram}). The meters read the listener's statistics when the
 * registry asks (function counters, a gauge and a function timer), so handling a message costs
 * nothing more than the counters the listener keeps anyway. The listeners are those configured
 * (whose meters exist from startup, reading 0 until their containers are registered) and those
 * already registered when the binder is bound.
 * <ul>
 * <li>{@code uds.connections.active} (gauge), {@code uds.connections.opened}, {@code
 * uds.connections.refused} (over max-connections), {@code uds.connections.shed} (closed unserved while
 * the process was out of file descriptors), {@code uds.connections.idle.timeouts};</li>
 * <li>{@code uds.messages.received}, {@code uds.messages.sent}, {@code uds.bytes.received},
 * {@code uds.bytes.sent};</li>
 * <li>{@code uds.handler.duration} (a timer: invocations and total time), {@code
 * uds.handler.errors};</li>
 * <li>{@code uds.frames.rejected} tagged {@code reason} {@code oversized}, {@code malformed},
 * {@code truncated} or {@code invalid-payload} (a payload its handler could not take); {@code uds.peers.unauthorized}; {@code uds.descriptors.received}, {@code
 * uds.descriptors.rejected}; {@code uds.replies.dropped} tagged {@code reason} {@code unaddressed}
 * or {@code undeliverable} (datagram replies).</li>
 * </ul>
 */
public class UdsListenerMetrics implements MeterBinder {

	private static final UdsListenerStatistics NOT_YET = new UdsListenerStatistics();

	private final UdsListenerEndpointRegistry registry;

	private final Map<String, UdsListenerType> listeners;

	/**
	 * Creates the binder.
	 * @param registry where the listeners' containers are registered
	 * @param listeners the listeners to bind, by name
	 */
	public UdsListenerMetrics(UdsListenerEndpointRegistry registry, Map<String, UdsListenerType> listeners) {
		this.registry = registry;
		this.listeners = Map.copyOf(listeners);
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		Map<String, UdsListenerType> all = new java.util.LinkedHashMap<>(this.listeners);
		this.registry.getListenerContainers()
			.forEach((name, container) -> all.putIfAbsent(name, container.getDefinition().type()));
		all.forEach((name, type) -> bind(meters, name,
				Tags.of("listener", name, "type", type.name().toLowerCase(Locale.ROOT))));
	}

	private void bind(MeterRegistry meters, String name, Tags tags) {
		Gauge.builder("uds.connections.active", this.registry, (registry) -> activeConnections(registry, name))
			.description("Connections open now")
			.tags(tags)
			.register(meters);
		counter(name, tags, "uds.connections.opened", "Connections accepted",
				UdsListenerStatistics::connectionsOpened).register(meters);
		counter(name, tags, "uds.connections.refused", "Connections refused over max-connections",
				UdsListenerStatistics::connectionsRefused).register(meters);
		counter(name, tags, "uds.connections.shed", "Connections closed unserved: the process was out of file descriptors",
				UdsListenerStatistics::connectionsShed).register(meters);
		counter(name, tags, "uds.connections.idle.timeouts", "Connections closed for idling",
				UdsListenerStatistics::idleTimeouts).register(meters);
		counter(name, tags, "uds.messages.received", "Messages handed to handlers",
				UdsListenerStatistics::messagesReceived).register(meters);
		counter(name, tags, "uds.messages.sent", "Replies and messages sent",
				UdsListenerStatistics::messagesSent).register(meters);
		counter(name, tags, "uds.bytes.received", "Payload bytes received", UdsListenerStatistics::bytesReceived)
			.baseUnit("bytes")
			.register(meters);
		counter(name, tags, "uds.bytes.sent", "Payload bytes sent", UdsListenerStatistics::bytesSent)
			.baseUnit("bytes")
			.register(meters);
		FunctionTimer
			.builder("uds.handler.duration", this.registry,
					(registry) -> statistics(registry, name).handlerInvocations(),
					(registry) -> statistics(registry, name).handlerNanos(), TimeUnit.NANOSECONDS)
			.description("Time handlers took per message")
			.tags(tags)
			.register(meters);
		counter(name, tags, "uds.handler.errors", "Messages whose handling failed",
				UdsListenerStatistics::handlerErrors).register(meters);
		counter(name, tags.and("reason", "oversized"), "uds.frames.rejected", "Messages rejected",
				UdsListenerStatistics::oversizedFrames).register(meters);
		counter(name, tags.and("reason", "malformed"), "uds.frames.rejected", "Messages rejected",
				UdsListenerStatistics::malformedFrames).register(meters);
		counter(name, tags.and("reason", "truncated"), "uds.frames.rejected", "Messages rejected",
				UdsListenerStatistics::truncatedFrames).register(meters);
		counter(name, tags.and("reason", "invalid-payload"), "uds.frames.rejected", "Messages rejected",
				UdsListenerStatistics::invalidPayloads).register(meters);
		counter(name, tags, "uds.peers.unauthorized", "Peers refused by the allow-lists",
				UdsListenerStatistics::unauthorizedPeers).register(meters);
		counter(name, tags, "uds.descriptors.received", "File descriptors handed to handlers",
				UdsListenerStatistics::descriptorsReceived).register(meters);
		counter(name, tags, "uds.descriptors.rejected", "Messages refused for carrying too many descriptors",
				UdsListenerStatistics::descriptorRejections).register(meters);
		counter(name, tags.and("reason", "unaddressed"), "uds.replies.dropped", "Replies not delivered",
				UdsListenerStatistics::unaddressedReplies).register(meters);
		counter(name, tags.and("reason", "undeliverable"), "uds.replies.dropped", "Replies not delivered",
				UdsListenerStatistics::failedReplies).register(meters);
	}

	/** A counter of one of the listener's statistics, to register. */
	private FunctionCounter.Builder<UdsListenerEndpointRegistry> counter(String listener, Tags tags, String meter,
			String description, ToLongFunction<UdsListenerStatistics> counter) {
		return FunctionCounter.builder(meter, this.registry, value(listener, counter))
			.description(description)
			.tags(tags);
	}

	private static ToDoubleFunction<UdsListenerEndpointRegistry> value(String listener,
			ToLongFunction<UdsListenerStatistics> counter) {
		return (registry) -> counter.applyAsLong(statistics(registry, listener));
	}

	private static UdsListenerStatistics statistics(UdsListenerEndpointRegistry registry, String listener) {
		UdsListenerContainer container = registry.getListenerContainer(listener);
		return (container != null) ? container.getStatistics() : NOT_YET;
	}

	private static double activeConnections(UdsListenerEndpointRegistry registry, String listener) {
		UdsListenerContainer container = registry.getListenerContainer(listener);
		return (container != null) ? container.getActiveConnections() : 0;
	}

}
