package dev.udsboot.autoconfigure;

import dev.udsboot.config.DefaultUdsListenerContainerFactory;

/**
 * Customizes the auto-configured container factory; beans of this type are applied in order.
 */
@FunctionalInterface
public interface UdsListenerContainerFactoryCustomizer {

	/**
	 * Customizes the factory.
	 * @param factory the factory
	 */
	void customize(DefaultUdsListenerContainerFactory factory);

}
