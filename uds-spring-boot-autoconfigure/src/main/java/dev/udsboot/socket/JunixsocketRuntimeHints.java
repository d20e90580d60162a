package dev.udsboot.socket;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFDatagramSocket;
import org.newsclub.net.unix.AFSocket;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Registers, for a native image, the junixsocket internals {@link JunixsocketInternals} reaches by
 * reflection (junixsocket's own metadata covers its public API and native calls, not these).
 * Without them the workarounds would resolve to nothing, and {@link JunixsocketWorkarounds} would
 * report them missing.
 */
public class JunixsocketRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		ReflectionHints reflection = hints.reflection();
		TypeReference descriptor = TypeReference.of(FileDescriptor.class);
		TypeReference integer = TypeReference.of(int.class);
		reflection.registerType(TypeReference.of(JunixsocketInternals.NATIVE_UNIX_SOCKET),
				(type) -> type
					.withMethod(JunixsocketInternals.SET_SOCKET_OPTION_INT, List.of(descriptor, integer, integer),
							ExecutableMode.INVOKE)
					.withMethod(JunixsocketInternals.DISCONNECT_METHOD, List.of(descriptor), ExecutableMode.INVOKE));
		reflection.registerType(AFSocket.class,
				(type) -> type.withMethod(JunixsocketInternals.GET_AF_IMPL, List.of(), ExecutableMode.INVOKE));
		reflection.registerType(AFDatagramSocket.class, (type) -> type
			.withMethod(JunixsocketInternals.GET_ANCILLARY_DATA_SUPPORT, List.of(), ExecutableMode.INVOKE));
		reflection.registerType(TypeReference.of(JunixsocketInternals.AF_SOCKET_IMPL),
				(type) -> type.withField(JunixsocketInternals.ANCILLARY_DATA_SUPPORT));
		reflection.registerType(TypeReference.of(JunixsocketInternals.ANCILLARY_DATA_SUPPORT_CLASS),
				(type) -> type.withField(JunixsocketInternals.OPEN_RECEIVED)
					.withMethod(JunixsocketInternals.SET_RECEIVE_BUFFER_SIZE, List.of(integer), ExecutableMode.INVOKE)
					.withMethod(JunixsocketInternals.SET_OUTBOUND, List.of(TypeReference.of(FileDescriptor[].class)),
							ExecutableMode.INVOKE));
	}

}
