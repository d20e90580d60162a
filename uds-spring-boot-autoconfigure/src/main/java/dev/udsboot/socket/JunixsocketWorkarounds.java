package dev.udsboot.socket;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFSocket;

import dev.udsboot.UdsStartupException;

/**
 * Which of the starter's junixsocket workarounds (see {@link JunixsocketInternals}) the junixsocket
 * on the class path lets it apply: one report, logged once per JVM at startup, instead of warnings
 * scattered over class loading that nobody reads.
 * <p>
 * A missing workaround costs robustness or a feature, and is reported. One costs security,
 * {@link Workaround#DATAGRAM_BIND_GUARD}: without it a datagram socket file is writable by every
 * user for a moment after its bind. Binding a datagram socket file then fails, with a
 * {@link UdsStartupException} naming {@value #ACCEPT_PROPERTY}, unless the application accepted
 * the loss through {@link #acceptMissing(Collection)}. The default is to refuse: an application
 * that never configured anything (a hand-built container, a test) is not opened up by an upgrade.
 * <p>
 * The acceptance is JVM-wide, like the junixsocket classes it is about: the auto-configuration
 * accepts what {@value #ACCEPT_PROPERTY} lists while its context runs, and what contexts running
 * at once accept adds up.
 */
public final class JunixsocketWorkarounds {

	/** The property with which the auto-configuration accepts missing workarounds. */
	public static final String ACCEPT_PROPERTY = "uds.accept-missing-workarounds";

	private static final Log logger = LogFactory.getLog(JunixsocketWorkarounds.class);

	private static final JunixsocketWorkarounds CURRENT = new JunixsocketWorkarounds(JunixsocketInternals.resolved(),
			version());

	private static final AtomicBoolean reported = new AtomicBoolean();

	/** The acceptances not yet closed: one per running application context that accepts a loss. */
	private static final Set<Acceptance> acceptances = ConcurrentHashMap.newKeySet();

	private final Set<Workaround> active;

	private final String version;

	/**
	 * Creates a report; tests pass a state the pinned junixsocket never has.
	 * @param active the workarounds whose internals resolved
	 * @param version the junixsocket version, for the report
	 */
	JunixsocketWorkarounds(Set<Workaround> active, String version) {
		this.active = Collections.unmodifiableSet(active.isEmpty() ? EnumSet.noneOf(Workaround.class)
				: EnumSet.copyOf(active));
		this.version = version;
	}

	/**
	 * Returns the report for the junixsocket on the class path.
	 * @return the report
	 */
	public static JunixsocketWorkarounds current() {
		return CURRENT;
	}

	/**
	 * Accepts the loss of missing workarounds until the returned acceptance is closed: a
	 * security-relevant one that is missing and accepted is warned about where it would have
	 * applied, instead of failing it. The auto-configuration accepts what
	 * {@code uds.accept-missing-workarounds} lists for as long as its context runs; the
	 * acceptances of contexts running at once add up.
	 * @param workarounds the workarounds whose absence the application accepts
	 * @return the acceptance, to close when it no longer holds
	 */
	public static Acceptance acceptMissing(Collection<Workaround> workarounds) {
		Acceptance acceptance = new Acceptance(workarounds.isEmpty() ? Collections.emptySet()
				: Collections.unmodifiableSet(EnumSet.copyOf(workarounds)));
		acceptances.add(acceptance);
		return acceptance;
	}

	/**
	 * Returns the workarounds whose absence is accepted now.
	 * @return what the acceptances not yet closed accept together
	 */
	public static Set<Workaround> acceptedMissing() {
		EnumSet<Workaround> accepted = EnumSet.noneOf(Workaround.class);
		acceptances.forEach((acceptance) -> accepted.addAll(acceptance.workarounds()));
		return Collections.unmodifiableSet(accepted);
	}

	/**
	 * Logs {@linkplain #report(Set) the report} of {@link #current()} with what is accepted,
	 * the first time it is called in this JVM: at INFO if every workaround is active, else at WARN.
	 */
	public static void logOnce() {
		if (reported.compareAndSet(false, true)) {
			CURRENT.log(logger, acceptedMissing());
		}
	}

	/**
	 * Returns the workarounds this junixsocket lets the starter apply.
	 * @return the active workarounds
	 */
	public Set<Workaround> active() {
		return this.active;
	}

	/**
	 * Returns the workarounds this junixsocket does not let the starter apply.
	 * @return the missing workarounds; empty on the junixsocket the starter pins
	 */
	public Set<Workaround> missing() {
		return Collections.unmodifiableSet(EnumSet.complementOf(toEnumSet(this.active)));
	}

	/**
	 * Whether a workaround is active.
	 * @param workaround the workaround
	 * @return {@code true} if its internals resolved
	 */
	public boolean isActive(Workaround workaround) {
		return this.active.contains(workaround);
	}

	/**
	 * The one line that tells which workarounds are active and what each missing one costs.
	 * @param acceptedMissing what the application accepts to lose
	 * @return the line
	 */
	public String report(Set<Workaround> acceptedMissing) {
		StringBuilder line = new StringBuilder("junixsocket ").append(this.version).append(": ");
		if (this.active.size() == Workaround.values().length) {
			return line.append("all ").append(this.active.size()).append(" workarounds active (")
				.append(ids(this.active)).append(')').toString();
		}
		line.append("workarounds active: ").append(this.active.isEmpty() ? "none" : ids(this.active));
		line.append("; missing: ");
		line.append(missing().stream().map((workaround) -> workaround.id() + " (" + workaround.lostWithout()
				+ (!workaround.isSecurityRelevant() ? ""
						: acceptedMissing.contains(workaround) ? "; accepted by " + ACCEPT_PROPERTY
								: "; binding a datagram socket file fails unless " + ACCEPT_PROPERTY + " lists it")
				+ ")").collect(Collectors.joining(", ")));
		return line.toString();
	}

	void log(Log log, Set<Workaround> acceptedMissing) {
		String line = report(acceptedMissing);
		if (missing().isEmpty()) {
			log.info(line);
		}
		else {
			log.warn(line);
		}
	}

	/**
	 * Checks that a workaround can be applied before something relies on it.
	 * @param workaround the workaround
	 * @param subject what relies on it, for the messages (a socket file's path)
	 * @return {@code true} if it is active; {@code false} if it is missing and its loss accepted
	 * (or does not touch security), which is warned about
	 * @throws UdsStartupException if it is missing, security-relevant and not accepted
	 */
	boolean require(Workaround workaround, String subject) {
		return require(workaround, subject, acceptedMissing(), logger);
	}

	boolean require(Workaround workaround, String subject, Set<Workaround> acceptedMissing, Log log) {
		if (isActive(workaround)) {
			return true;
		}
		if (workaround.isSecurityRelevant() && !acceptedMissing.contains(workaround)) {
			throw new UdsStartupException("junixsocket " + this.version + " lacks the internal behind the workaround "
					+ workaround.id() + ", so " + subject + " cannot be protected: " + workaround.lostWithout() + ".",
					"Use the junixsocket version the starter depends on (check your dependency management for an "
							+ "override of junixsocket), or accept the risk by setting " + ACCEPT_PROPERTY + "="
							+ workaround.id() + ".");
		}
		log.warn("Without the junixsocket workaround " + workaround.id() + " (" + ACCEPT_PROPERTY + "), for "
				+ subject + ": " + workaround.lostWithout());
		return false;
	}

	private static String ids(Set<Workaround> workarounds) {
		return workarounds.stream().map(Workaround::id).collect(Collectors.joining(", "));
	}

	private static EnumSet<Workaround> toEnumSet(Set<Workaround> workarounds) {
		return workarounds.isEmpty() ? EnumSet.noneOf(Workaround.class) : EnumSet.copyOf(workarounds);
	}

	private static String version() {
		try {
			@Nullable String version = AFSocket.getVersion();
			return (version != null) ? version : "(unknown version)";
		}
		catch (RuntimeException | LinkageError ex) {
			// the version is only for the report; a junixsocket without it is still reported on
			return "(unknown version)";
		}
	}

	/**
	 * A junixsocket workaround, each named for what it protects; its {@link #id()} is how
	 * {@value JunixsocketWorkarounds#ACCEPT_PROPERTY} and the report name it.
	 */
	/**
	 * The acceptance of missing workarounds by one application context: it holds until closed.
	 *
	 * @param workarounds the workarounds whose absence is accepted
	 */
	public record Acceptance(Set<Workaround> workarounds) implements AutoCloseable {

		/** Withdraws the acceptance. Idempotent. */
		@Override
		public void close() {
			acceptances.remove(this);
		}

		// identity, not the accepted set: two contexts accepting the same workarounds are two
		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}

	}

	public enum Workaround {

		/** Room for the kernel's 253 descriptors in one message, where junixsocket leaves room for 60. */
		DESCRIPTOR_RECEIVE_BUFFER("a message carrying more than 60 descriptors fails to read and its descriptors leak",
				false),

		/** Received descriptors closed once, by the starter, not also by junixsocket with their socket. */
		RECEIVED_DESCRIPTOR_OWNERSHIP("junixsocket also closes received descriptors when their socket closes, "
				+ "possibly while a handler still uses them", false),

		/** Descriptors sent in datagram replies, which junixsocket refuses on an unconnected socket. */
		DATAGRAM_REPLY_DESCRIPTORS("datagram replies and requests cannot carry descriptors", false),

		/** A send timeout alone on datagram sockets, where junixsocket would set the receive timeout too. */
		DATAGRAM_SEND_TIMEOUT("a datagram reply to a sender that does not read waits until it does", false),

		/**
		 * No sender but a private guard until a datagram socket file has its mode; needs junixsocket's
		 * native disconnect. The only one that touches security.
		 */
		DATAGRAM_BIND_GUARD("any user can send to a datagram socket file between its bind and the setting of its "
				+ "mode, when junixsocket leaves it rw-rw-rw-", true);

		private final String lostWithout;

		private final boolean securityRelevant;

		Workaround(String lostWithout, boolean securityRelevant) {
			this.lostWithout = lostWithout;
			this.securityRelevant = securityRelevant;
		}

		/**
		 * Returns the name used in the report and in {@value JunixsocketWorkarounds#ACCEPT_PROPERTY}.
		 * @return the name, such as {@code datagram-bind-guard}
		 */
		public String id() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		/**
		 * Returns what is lost when the workaround is missing.
		 * @return the loss, as a clause
		 */
		public String lostWithout() {
			return this.lostWithout;
		}

		/**
		 * Whether its absence weakens security: then it fails what relies on it, unless accepted.
		 * @return {@code true} for {@link #DATAGRAM_BIND_GUARD}
		 */
		public boolean isSecurityRelevant() {
			return this.securityRelevant;
		}

	}

}
