package dev.udsboot.listener;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The process's limit on open file descriptors (the soft {@code RLIMIT_NOFILE}, as the JVM
 * reports it after raising it at startup), and how the starter recognises running out of them.
 * Every connection of a stream listener holds one descriptor, so a max-connections above the limit
 * cannot be reached: the connections beyond it are shed.
 */
public final class FileDescriptorLimit {

	/**
	 * What {@code strerror} says for {@code EMFILE} ("Too many open files") and {@code ENFILE}
	 * ("Too many open files in system"); junixsocket and the JDK report both only as a message.
	 */
	private static final String EXHAUSTED = "Too many open files";

	/** What {@link #free()} says when the JVM does not count descriptors. */
	private static final long UNKNOWN = Long.MIN_VALUE;

	private FileDescriptorLimit() {
	}

	/**
	 * Returns the process's open-files limit.
	 * @return the soft limit, or empty where the JVM does not report it
	 */
	public static OptionalLong softLimit() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
			long limit = unix.getMaxFileDescriptorCount();
			return (limit > 0) ? OptionalLong.of(limit) : OptionalLong.empty();
		}
		return OptionalLong.empty();
	}

	/**
	 * Tells whether the process has descriptors to spare now (counting them opens
	 * {@code /proc/self/fd} for a moment).
	 * @param needed how many must be free
	 * @return {@code true} if at least that many are free; {@code false} if not, or unknown
	 */
	public static boolean hasFree(int needed) {
		return free() >= needed;
	}

	/**
	 * Tells whether the process has fewer descriptors free than a connection of its own needs (a
	 * health probe takes two: its end and the listener's).
	 * @return {@code true} if fewer than two are free; {@code false} if more, or if unknown
	 */
	public static boolean isNearlyExhausted() {
		long free = free();
		return free != UNKNOWN && free < 2;
	}

	/** Free descriptors now: 0 when none (or they cannot be counted for want of one), or UNKNOWN. */
	private static long free() {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
			try {
				long open = unix.getOpenFileDescriptorCount();
				long limit = unix.getMaxFileDescriptorCount();
				return (open >= 0 && limit > 0) ? limit - open : UNKNOWN;
			}
			catch (InternalError | RuntimeException ex) {
				// the JDK throws InternalError when it cannot open /proc/self/fd: none is free
				return 0;
			}
		}
		return UNKNOWN;
	}

	/**
	 * Describes the limit for log lines.
	 * @return e.g. {@code open-files limit 1024}
	 */
	public static String describeLimit() {
		OptionalLong limit = softLimit();
		return limit.isPresent() ? "open-files limit " + limit.getAsLong() : "open-files limit unknown";
	}

	/**
	 * Tells whether a failure means the process (or the system) has no descriptor left.
	 * @param failure what a system call threw
	 * @return {@code true} for {@code EMFILE} or {@code ENFILE}
	 */
	public static boolean isExhaustion(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (isExhaustion(cause.getMessage())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Tells whether an error message means the process (or the system) has no descriptor left.
	 * @param message an error message
	 * @return {@code true} for {@code EMFILE} or {@code ENFILE}
	 */
	public static boolean isExhaustion(@Nullable String message) {
		return message != null && message.contains(EXHAUSTED);
	}

	/**
	 * Warns when a stream listener's max-connections is above the open-files limit: its
	 * connections would run the process out of descriptors before the limit is reached.
	 * @param definition the listener
	 * @param logger where the warning goes
	 * @return {@code true} if it warned
	 */
	public static boolean warnIfBelowMaxConnections(UdsListenerDefinition definition, Log logger) {
		OptionalLong limit = softLimit();
		if (limit.isEmpty() || definition.maxConnections() <= limit.getAsLong()) {
			return false;
		}
		String property = "uds.listeners." + definition.name() + ".max-connections";
		logger.warn(property + " is " + definition.maxConnections() + ", above the process's open-files limit of "
				+ limit.getAsLong() + ": every connection holds a descriptor, so the process runs out of them first "
				+ "and the connections beyond are closed unserved. Raise the limit (LimitNOFILE= in the systemd unit, "
				+ "ulimit -n in a shell) or lower " + property + ".");
		return true;
	}

}
