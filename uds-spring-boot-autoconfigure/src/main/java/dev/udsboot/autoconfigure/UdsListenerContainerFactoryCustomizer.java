package dev.udsboot.autoconfigure;

import dev.udsboot.listener.DefaultUdsListenerContainerFactory;

/**
 * Customizes the auto-configured container factory after the properties are applied; beans of
 * this type are applied in order.
 */
@FunctionalInterface
public interface UdsListenerContainerFactoryCustomizer {

	/**
	 * Customizes the factory.
	 * @param factory the factory, with the properties applied
	 */
	void customize(DefaultUdsListenerContainerFactory factory);

}
