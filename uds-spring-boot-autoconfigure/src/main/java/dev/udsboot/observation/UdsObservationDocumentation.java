package dev.udsboot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The Observations of this starter: their names, and the key values their default conventions
 * give them.
 */
public enum UdsObservationDocumentation implements ObservationDocumentation {

	/**
	 * A message a listener handled: from the handler's call to its return (the reply is written
	 * after).
	 */
	LISTENER_MESSAGE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultUdsObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ListenerKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessageKeyNames.MESSAGE_BYTES };
		}

	},

	/** A request a template sent, with the reply it waited for, if any. */
	TEMPLATE_EXCHANGE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultUdsTemplateObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TemplateKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { MessageKeyNames.MESSAGE_BYTES };
		}

	};

	/** The low-cardinality keys of {@link #LISTENER_MESSAGE}: the same tags as the listener's meters. */
	public enum ListenerKeyNames implements KeyName {

		/** The listener's name. */
		LISTENER {
			@Override
			public String asString() {
				return "listener";
			}
		},

		/** {@code stream}, {@code datagram} or {@code tcp}. */
		TYPE {
			@Override
			public String asString() {
				return "type";
			}
		},

		/** How the handler ended ({@link UdsOutcome}). */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** The low-cardinality keys of {@link #TEMPLATE_EXCHANGE}. */
	public enum TemplateKeyNames implements KeyName {

		/** Where the template sends: a socket path, an abstract name or a TCP host and port. */
		TARGET {
			@Override
			public String asString() {
				return "target";
			}
		},

		/** {@code request-reply} or {@code one-way}. */
		EXCHANGE {
			@Override
			public String asString() {
				return "exchange";
			}
		},

		/** How the exchange ended ({@link UdsOutcome}). */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** The high-cardinality keys of both: span tags, never meter tags. */
	public enum MessageKeyNames implements KeyName {

		/** The bytes of the request's payload. */
		MESSAGE_BYTES {
			@Override
			public String asString() {
				return "uds.message.bytes";
			}
		}

	}

}
