package dev.udsboot.management;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Chooses a response's content type from the request's {@code Accept} header as Spring MVC does
 * for Actuator on the web port ({@code AbstractMessageConverterMethodProcessor}): the accepted
 * types sorted by quality, then specificity; of every pair of an accepted and a producible type
 * that are compatible, the more specific one; of those, sorted again, the first concrete type, or
 * {@code application/json} for {@code *}{@code /*} and {@code application/*}. No {@code Accept}
 * header accepts anything.
 * <p>
 * Spring's {@code MediaType}, which knows the quality parameter, is in spring-web, which a non-web
 * application does not have; so the types are spring-core's {@link MimeType}s, and
 * {@link Accepted} adds the quality to their specificity exactly as {@code MediaType} does, for
 * {@link MimeTypeUtils#sortBySpecificity} to sort them.
 */
final class ContentNegotiation {

	/** What Spring MVC's JSON converter writes an error body as. */
	static final List<MimeType> JSON = List.of(MimeTypeUtils.APPLICATION_JSON, new MimeType("application", "*+json"));

	private static final String QUALITY = "q";

	private static final MimeType ANY_APPLICATION = new MimeType("application");

	private ContentNegotiation() {
	}

	/**
	 * Parses the request's {@code Accept} headers, sorted by quality and specificity.
	 * @param headers the request's {@code Accept} headers
	 * @return the accepted types; {@code *}{@code /*} when there is no header
	 * @throws InvalidMimeTypeException if a header cannot be parsed (Spring MVC answers 406 then)
	 */
	static List<MimeType> accepted(Enumeration<String> headers) {
		List<MimeType> accepted = new ArrayList<>();
		while (headers.hasMoreElements()) {
			for (MimeType type : MimeTypeUtils.parseMimeTypes(headers.nextElement())) {
				accepted.add(new Accepted(type));
			}
		}
		if (accepted.isEmpty()) {
			accepted.add(MimeTypeUtils.ALL);
		}
		MimeTypeUtils.sortBySpecificity(accepted);
		return accepted;
	}

	/**
	 * Chooses the content type of a response.
	 * @param accepted what the client accepts, as {@link #accepted} returns it
	 * @param producible what the response can be written as, preferred first
	 * @return the content type without a quality, or {@code null} if nothing producible is
	 * accepted (406)
	 */
	static @Nullable MimeType choose(List<MimeType> accepted, List<MimeType> producible) {
		List<MimeType> compatible = new ArrayList<>();
		for (MimeType accept : accepted) {
			for (MimeType produce : producible) {
				if (accept.isCompatibleWith(produce)) {
					compatible.add(mostSpecific(accept, produce));
				}
			}
		}
		MimeTypeUtils.sortBySpecificity(compatible);
		for (MimeType type : compatible) {
			if (type.isConcrete()) {
				return withoutQuality(type);
			}
			if (type.equals(MimeTypeUtils.ALL) || type.equals(ANY_APPLICATION)) {
				return MimeTypeUtils.APPLICATION_JSON;
			}
		}
		return null;
	}

	/**
	 * Tells whether a producible type is accepted at all: which of several operations at one path
	 * serves a request, as Spring MVC's {@code ProducesRequestCondition} decides.
	 * @param accept one accepted type
	 * @param producible the producible types
	 * @return whether one of them is compatible with it
	 */
	static boolean anyCompatible(MimeType accept, List<MimeType> producible) {
		return producible.stream().anyMatch(accept::isCompatibleWith);
	}

	/** As Spring MVC: the producible type with the accepted one's quality, if it is more specific. */
	private static MimeType mostSpecific(MimeType accept, MimeType produce) {
		MimeType produceWithQuality = new Accepted(withQuality(produce, accept.getParameter(QUALITY)));
		return accept.isLessSpecific(produceWithQuality) ? produceWithQuality : accept;
	}

	private static MimeType withQuality(MimeType type, @Nullable String quality) {
		Map<String, String> parameters = new LinkedHashMap<>(type.getParameters());
		parameters.remove(QUALITY);
		if (quality != null) {
			parameters.put(QUALITY, quality);
		}
		return new MimeType(type.getType(), type.getSubtype(), parameters);
	}

	private static MimeType withoutQuality(MimeType type) {
		// a plain MimeType: the chosen type is a response's Content-Type, not an accepted type
		return withQuality(type, null);
	}

	/**
	 * An accepted type whose quality ({@code q}, default 1) comes before its specificity, as
	 * spring-web's {@code MediaType#isMoreSpecific} has it.
	 */
	private static final class Accepted extends MimeType {

		private static final long serialVersionUID = 1L;

		private final double quality;

		Accepted(MimeType type) {
			super(type);
			String quality = getParameter(QUALITY);
			try {
				this.quality = (quality != null) ? Double.parseDouble(quality) : 1.0;
			}
			catch (NumberFormatException ex) {
				throw new InvalidMimeTypeException(type.toString(), "invalid quality value '" + quality + "'");
			}
		}

		double quality() {
			return this.quality;
		}

		@Override
		public boolean isMoreSpecific(MimeType other) {
			if (other instanceof Accepted accepted && quality() != accepted.quality()) {
				return quality() > accepted.quality();
			}
			return super.isMoreSpecific(other);
		}

		@Override
		public boolean isLessSpecific(MimeType other) {
			if (other instanceof Accepted accepted && quality() != accepted.quality()) {
				return quality() < accepted.quality();
			}
			return super.isLessSpecific(other);
		}

	}

}
