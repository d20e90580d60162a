package dev.udsboot.systemd;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * Tells systemd when the application is ready and when it stops ({@code Type=notify}), for one
 * application context. {@code READY=1}, with {@code STATUS=} and {@code MAINPID=}, goes when
 * Spring Boot reports {@link ReadinessState#ACCEPTING_TRAFFIC} for this context (after it is
 * refreshed and every {@code SmartLifecycle} started), the context serves something of its own,
 * and the readiness check passes; if that check fails, a WARN line says why and nothing is sent,
 * so that systemd's {@code TimeoutStartSec=} ends a start that did not come up. {@code STOPPING=1}
 * goes when this context begins to close, before any lifecycle stops (the watchdog excepted, see
 * {@link SystemdWatchdog}), so that systemd knows the coming exit is wanted.
 * <p>
 * With a context hierarchy ({@code SpringApplicationBuilder.child(...)}), each context that
 * includes the auto-configuration has a notifier of its own, and they share one state (see
 * {@link SystemdNotifier}): {@code READY=1} is sent once, by the first context that is ready and
 * whose own listeners all accept; a context without listeners of its own (typically the parent)
 * never sends it, since it has nothing to serve, and its readiness comes before its children's
 * listeners even exist. {@code STOPPING=1} is sent once, by the first context that begins to
 * close. Events that a child context publishes reach its parent's listeners too: each notifier
 * acts on its own context's events only.
 * <p>
 * {@code EXTEND_TIMEOUT_USEC=} is never sent: sent on a timer it would keep a start that hangs
 * alive for ever, which is what {@code TimeoutStartSec=} is there to prevent.
 */
public class SystemdReadinessNotifier implements SmartApplicationListener, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(SystemdReadinessNotifier.class);

	private final SystemdNotifier notifier;

	private final BooleanSupplier serves;

	private final ServiceCheck readiness;

	private final Supplier<String> status;

	private @Nullable ApplicationContext context;

	/**
	 * Creates the notifier.
	 * @param notifier sends the notifications
	 * @param serves tells whether the context serves anything of its own (has listeners)
	 * @param readiness passes when every part of the context that should serve does
	 * @param status what the context serves, for {@code STATUS=} (e.g. {@code Serving echo
	 * (/run/app/echo.sock)}; see {@link StatusText})
	 */
	public SystemdReadinessNotifier(SystemdNotifier notifier, BooleanSupplier serves, ServiceCheck readiness,
			Supplier<String> status) {
		this.notifier = notifier;
		this.serves = serves;
		this.readiness = readiness;
		this.status = status;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return AvailabilityChangeEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	/**
	 * After the watchdog's listener, which stops the pings before {@code STOPPING=1} goes.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		// a child context's events reach this (its parent's) listeners too: they are not this context's
		if (event instanceof AvailabilityChangeEvent<?> change && change.getState() == ReadinessState.ACCEPTING_TRAFFIC
				&& change.getSource() == this.context) {
			ready();
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			this.notifier.stopping();
		}
	}

	private void ready() {
		if (this.notifier.getNotifySocket() == null) {
			// not under systemd (an AOT-processed application has this bean regardless)
			return;
		}
		if (this.notifier.isReadyOrStopping()) {
			// told already (readiness can change back and forth, and another context may have told)
			return;
		}
		if (!this.serves.getAsBoolean()) {
			logger.info("Not notifying systemd of readiness (READY=1) from " + describe()
					+ ": it has no listeners of its own; a context that has sends it");
			return;
		}
		String problem = this.readiness.problem();
		if (problem != null) {
			logger.warn("Not notifying systemd of readiness (READY=1): " + problem);
			return;
		}
		String status = this.status.get();
		if (this.notifier.ready(status)) {
			logger.info("Notified systemd of readiness: " + status);
		}
	}

	private String describe() {
		return (this.context != null) ? "application context '" + this.context.getId() + "'" : "this context";
	}

}
