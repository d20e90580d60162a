package dev.udsboot.config;

/**
 * The fixed bean names under which the infrastructure is registered and looked up.
 */
public final class UdsConfigUtils {

	/** The {@code @UdsHandler} annotation processor. */
	public static final String UDS_HANDLER_ANNOTATION_PROCESSOR_BEAN_NAME = "dev.udsboot.config.internalUdsHandlerAnnotationProcessor";

	/** The {@link dev.udsboot.config.UdsListenerEndpointRegistry}. */
	public static final String UDS_LISTENER_ENDPOINT_REGISTRY_BEAN_NAME = "dev.udsboot.config.internalUdsListenerEndpointRegistry";

	/**
	 * The auto-configured {@link dev.udsboot.config.UdsListenerDefinitions}; one of the
	 * application's own, under any name, replaces it.
	 */
	public static final String UDS_LISTENER_DEFINITIONS_BEAN_NAME = "udsListenerDefinitions";

	/** The container factory handlers use. */
	public static final String UDS_LISTENER_CONTAINER_FACTORY_BEAN_NAME = "udsListenerContainerFactory";

	/** The {@link dev.udsboot.invocation.UdsMessageHandlerMethodFactory} handlers are invoked through. */
	public static final String UDS_MESSAGE_HANDLER_METHOD_FACTORY_BEAN_NAME = "udsMessageHandlerMethodFactory";

	private UdsConfigUtils() {
	}

}
