package dev.udsboot.management;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * A read operation whose path matches a request, with the path's variables. Several can match
 * one path with different media types (the thread dump as JSON and as text): {@link #select}
 * picks one by the {@code Accept} header, as Spring MVC's {@code ProducesRequestCondition} does.
 *
 * @param operation the operation
 * @param variables its path variables taken from the request's path
 */
record MatchedOperation(WebOperation operation, Map<String, Object> variables) {

	/** Actuator's default media type, which wins a tie as on the web port. */
	private static final MimeType LATEST = ApiVersion.LATEST.getProducedMimeType();

	/**
	 * Returns what the operation produces, preferred first; anything when it does not say.
	 * @return the media types
	 */
	List<MimeType> produces() {
		List<MimeType> produces = this.operation.getRequestPredicate().getProduces().stream()
			.map(MimeTypeUtils::parseMimeType)
			.toList();
		return produces.isEmpty() ? List.of(MimeTypeUtils.ALL) : produces;
	}

	/**
	 * Picks the operation that produces the most preferred accepted type; of several, the one
	 * producing Actuator's default JSON, else the first.
	 * @param candidates the operations whose path matches
	 * @param accepted the accepted types, most preferred first
	 * @return the operation, or {@code null} if none produces anything accepted (406)
	 */
	static @Nullable MatchedOperation select(List<MatchedOperation> candidates, List<MimeType> accepted) {
		for (MimeType accept : accepted) {
			List<MatchedOperation> compatible = candidates.stream()
				.filter((candidate) -> ContentNegotiation.anyCompatible(accept, candidate.produces()))
				.toList();
			if (!compatible.isEmpty()) {
				return compatible.stream()
					.filter((candidate) -> candidate.produces().stream().anyMatch(LATEST::equalsTypeAndSubtype))
					.findFirst()
					.orElse(compatible.get(0));
			}
		}
		return null;
	}

}
