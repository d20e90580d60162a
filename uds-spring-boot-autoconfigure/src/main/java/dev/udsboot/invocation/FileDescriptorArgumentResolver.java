package dev.udsboot.invocation;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/**
 * Resolves handler parameters of type {@link FileDescriptor} (the first descriptor, or
 * {@code null}), {@code FileDescriptor[]} and {@code List<FileDescriptor>} to the descriptors that
 * arrived with the message. The container closes them after the handler returns.
 */
public class FileDescriptorArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return takesDescriptors(parameter);
	}

	/**
	 * Tells whether a handler parameter takes the descriptors received with a message.
	 * @param parameter the parameter
	 * @return {@code true} for {@code FileDescriptor}, {@code FileDescriptor[]} and
	 * {@code List<FileDescriptor>}
	 */
	public static boolean takesDescriptors(MethodParameter parameter) {
		Class<?> type = parameter.getParameterType();
		return type == FileDescriptor.class || type == FileDescriptor[].class || (type == List.class
				&& ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve() == FileDescriptor.class);
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		@SuppressWarnings("unchecked")
		List<FileDescriptor> descriptors = (List<FileDescriptor>) message.getHeaders()
			.getOrDefault(UdsHeaders.FILE_DESCRIPTORS, List.of());
		Class<?> type = parameter.getParameterType();
		if (type == FileDescriptor.class) {
			return descriptors.isEmpty() ? null : descriptors.get(0);
		}
		if (type == FileDescriptor[].class) {
			return descriptors.toArray(new FileDescriptor[0]);
		}
		return descriptors;
	}

}
