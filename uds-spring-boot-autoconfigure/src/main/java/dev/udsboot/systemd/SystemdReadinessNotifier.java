package dev.udsboot.systemd;

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

/**
 * Tells systemd when the application is ready and when it stops ({@code Type=notify}).
 * {@code READY=1}, with {@code STATUS=} and {@code MAINPID=}, goes once, when Spring Boot reports
 * {@link ReadinessState#ACCEPTING_TRAFFIC} (after the context is refreshed and every
 * {@code SmartLifecycle} started) and the readiness check passes; if it does not, a WARN line
 * says why and nothing is sent, so that systemd's {@code TimeoutStartSec=} ends a start that did
 * not come up. {@code STOPPING=1} goes when this context begins to close, before any lifecycle
 * stops, so that systemd knows the coming exit is wanted.
 * <p>
 * {@code EXTEND_TIMEOUT_USEC=} is never sent: sent on a timer it would keep a start that hangs
 * alive for ever, which is what {@code TimeoutStartSec=} is there to prevent.
 */
public class SystemdReadinessNotifier implements SmartApplicationListener, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(SystemdReadinessNotifier.class);

	private final SystemdNotifier notifier;

	private final ServiceCheck readiness;

	private final Supplier<String> status;

	private @Nullable ApplicationContext context;

	private boolean ready;

	private boolean stopping;

	/**
	 * Creates the notifier.
	 * @param notifier sends the notifications
	 * @param readiness passes when every part of the application that should serve does
	 * @param status what the application serves, for {@code STATUS=} (e.g. {@code Serving echo
	 * (/run/app/echo.sock)})
	 */
	public SystemdReadinessNotifier(SystemdNotifier notifier, ServiceCheck readiness, Supplier<String> status) {
		this.notifier = notifier;
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

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof AvailabilityChangeEvent<?> change && change.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
			ready();
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			// a child context (one of Actuator's) closing is not the application stopping
			stopping();
		}
	}

	private synchronized void ready() {
		if (this.ready || this.stopping) {
			return;
		}
		String problem = this.readiness.problem();
		if (problem != null) {
			logger.warn("Not notifying systemd of readiness (READY=1): " + problem);
			return;
		}
		this.ready = true;
		String status = this.status.get();
		if (this.notifier.notify("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid())) {
			logger.info("Notified systemd of readiness: " + status);
		}
	}

	private synchronized void stopping() {
		if (this.stopping) {
			return;
		}
		this.stopping = true;
		this.notifier.notify("STOPPING=1\nSTATUS=Stopping");
	}

}
