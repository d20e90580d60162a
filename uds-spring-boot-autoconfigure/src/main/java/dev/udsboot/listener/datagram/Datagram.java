package dev.udsboot.listener.datagram;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A datagram received, on its way from the receiving thread to the {@link DatagramDispatcher}; one
 * the interceptor took only has its replies sent.
 *
 * @param payload its bytes (empty for one the interceptor took)
 * @param from the sender's address, {@code null} for an unbound sender
 * @param descriptors the descriptors it carried, open until it has been handled
 * @param intercepted the interceptor's replies, if the interceptor took it
 */
record Datagram(byte[] payload, @Nullable AFUNIXSocketAddress from, List<FileDescriptor> descriptors,
		@Nullable InterceptedReplies intercepted) {
}
