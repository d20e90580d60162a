package dev.udsboot.socket;

import org.jspecify.annotations.Nullable;

/**
 * How one socket receives file descriptors, as {@link ReceivedDescriptors#enable} set it up: the
 * handle to pass back to {@link ReceivedDescriptors#takeReceived} after each receive.
 * <p>
 * Its three states are named, so that "takes no descriptors" is never mistaken for "junixsocket's
 * internals are missing":
 * <ul>
 * <li>{@link #off()}: the socket takes no descriptors, and nothing is asked of junixsocket;</li>
 * <li>{@linkplain #isOwned() owned}: the receive buffer holds the kernel's 253 descriptors, and
 * the starter alone closes what arrives (junixsocket's internals were reached);</li>
 * <li>not owned: only junixsocket's public setter could be used, so the buffer holds 60
 * descriptors and junixsocket also closes them with the socket (see
 * {@link JunixsocketWorkarounds.Workaround#DESCRIPTOR_RECEIVE_BUFFER}).</li>
 * </ul>
 */
public final class DescriptorReception {

	private static final DescriptorReception OFF = new DescriptorReception(false, null);

	private static final DescriptorReception PUBLIC_API_ONLY = new DescriptorReception(true, null);

	private final boolean enabled;

	/** junixsocket's {@code AncillaryDataSupport} of the socket; only when owned. */
	private final @Nullable Object ancillaryData;

	private DescriptorReception(boolean enabled, @Nullable Object ancillaryData) {
		this.enabled = enabled;
		this.ancillaryData = ancillaryData;
	}

	/**
	 * The reception of a socket that takes no descriptors: taking them returns none.
	 * @return the handle
	 */
	public static DescriptorReception off() {
		return OFF;
	}

	/**
	 * Reception through junixsocket's public API only, when its internals cannot be reached.
	 * @return the handle
	 */
	static DescriptorReception publicApiOnly() {
		return PUBLIC_API_ONLY;
	}

	/**
	 * Reception through junixsocket's internals.
	 * @param ancillaryData the socket's {@code AncillaryDataSupport}, its buffer already enlarged
	 * @return the handle
	 */
	static DescriptorReception owned(Object ancillaryData) {
		return new DescriptorReception(true, ancillaryData);
	}

	/**
	 * Whether the socket receives descriptors at all.
	 * @return {@code false} for {@link #off()}
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Whether the starter alone owns the descriptors received, with room for the kernel's 253 per
	 * message.
	 * @return {@code true} if junixsocket's internals were reached for this socket
	 */
	public boolean isOwned() {
		return this.ancillaryData != null;
	}

	/**
	 * junixsocket's ancillary data object, for {@link JunixsocketInternals} only.
	 * @return the object, or {@code null} unless {@link #isOwned()}
	 */
	@Nullable Object ancillaryData() {
		return this.ancillaryData;
	}

	@Override
	public String toString() {
		return !this.enabled ? "DescriptorReception[off]"
				: isOwned() ? "DescriptorReception[owned]" : "DescriptorReception[public API only]";
	}

}
