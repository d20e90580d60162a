package dev.udsboot.config;

import java.util.Collection;
import java.util.Optional;

/**
 * Finds the name a misspelt one was most likely meant to be, for "did you mean" hints in startup
 * failure reports. Edit distance (Levenshtein) is a dozen lines; no library on the starter's
 * classpath offers it.
 */
public final class NearestName {

	private NearestName() {
	}

	/**
	 * Returns the candidate closest to {@code name}, if it is close enough to be a likely typo: at
	 * most a third of the name's length in single-character edits (and at least 2 allowed).
	 * @param name the name as written
	 * @param candidates the valid names
	 * @return the nearest valid name, or empty if none is close
	 */
	public static Optional<String> in(String name, Collection<String> candidates) {
		int allowed = Math.max(2, name.length() / 3);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			int distance = distance(name, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return (best != null && bestDistance <= allowed) ? Optional.of(best) : Optional.empty();
	}

	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
