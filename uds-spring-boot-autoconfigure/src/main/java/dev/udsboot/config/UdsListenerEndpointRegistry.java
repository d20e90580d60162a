package dev.udsboot.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import dev.udsboot.listener.GracefulStop;
import dev.udsboot.listener.UdsListenerContainer;

/**
 * Holds the listener containers (they are not beans) and runs them as one {@link SmartLifecycle}:
 * started after the context is refreshed, stopped gracefully on shutdown, all containers in
 * parallel, within {@code spring.lifecycle.timeout-per-shutdown-phase}; whatever is still open
 * after that is closed when the context is destroyed.
 */
public class UdsListenerEndpointRegistry implements SmartLifecycle, DisposableBean {

	/** The phase: late start, early stop, like Spring's other listener registries. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private final Map<String, UdsListenerContainer> containers = new LinkedHashMap<>();

	private volatile boolean running;

	/**
	 * Registers the container of a listener.
	 * @param listenerName the listener name
	 * @param container its container
	 * @throws IllegalStateException if the listener already has a container
	 */
	public synchronized void registerListenerContainer(String listenerName, UdsListenerContainer container) {
		if (this.containers.putIfAbsent(listenerName, container) != null) {
			throw new IllegalStateException("Listener '" + listenerName + "' already has a container");
		}
		if (this.running) {
			container.start();
		}
	}

	/**
	 * Returns a listener's container.
	 * @param listenerName the listener name
	 * @return the container, or {@code null} if none is registered
	 */
	public synchronized @Nullable UdsListenerContainer getListenerContainer(String listenerName) {
		return this.containers.get(listenerName);
	}

	/**
	 * Returns all containers, keyed by listener name.
	 * @return the containers
	 */
	public synchronized Map<String, UdsListenerContainer> getListenerContainers() {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.containers));
	}

	@Override
	public synchronized void start() {
		List<UdsListenerContainer> started = new ArrayList<>();
		try {
			for (UdsListenerContainer container : this.containers.values()) {
				container.start();
				started.add(container);
			}
		}
		catch (RuntimeException ex) {
			started.forEach(UdsListenerContainer::close);
			throw ex;
		}
		this.running = true;
	}

	@Override
	public void stop() {
		if (!GracefulStop.await(this::stop)) {
			destroy();
		}
	}

	@Override
	public void stop(Runnable callback) {
		Collection<UdsListenerContainer> toStop;
		synchronized (this) {
			this.running = false;
			toStop = new ArrayList<>(this.containers.values());
		}
		if (toStop.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger remaining = new AtomicInteger(toStop.size());
		for (UdsListenerContainer container : toStop) {
			container.stop(() -> {
				if (remaining.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public void destroy() {
		for (UdsListenerContainer container : getListenerContainers().values()) {
			container.close();
		}
	}

}
