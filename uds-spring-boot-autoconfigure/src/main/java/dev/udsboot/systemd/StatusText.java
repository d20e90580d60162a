package dev.udsboot.systemd;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The value of a {@code STATUS=} line: one line of at most {@link #MAX_BYTES} bytes of UTF-8.
 * Control characters are replaced by {@code ?} (as {@code ls} shows them), since a newline in a
 * socket path would end the line and start a notification of its own; a list too long to show
 * ends with {@code … and N more}. systemd ignores a notification datagram over 4096 bytes whole,
 * so a status that grew with the number of listeners would lose {@code READY=1} with it.
 */
public final class StatusText {

	/** The most bytes of a status: what {@code systemctl status} shows on a line or two. */
	public static final int MAX_BYTES = 512;

	private static final String SEPARATOR = ", ";

	private static final String ELLIPSIS = "…";

	private StatusText() {
	}

	/**
	 * Returns a status listing items, as many as fit.
	 * @param prefix what comes first, e.g. {@code Serving }
	 * @param items the items, e.g. {@code echo (/run/app/echo.sock)}
	 * @return e.g. {@code Serving echo (/run/app/echo.sock), events (/run/app/events.sock) … and 58
	 * more}, at most {@link #MAX_BYTES} bytes
	 */
	public static String list(String prefix, List<String> items) {
		StringBuilder text = new StringBuilder(clean(prefix));
		// room for the longest ending this list can need
		int reserve = bytes(" " + ELLIPSIS + " and " + items.size() + " more");
		int shown = 0;
		for (String item : items) {
			String next = ((shown > 0) ? SEPARATOR : "") + clean(item);
			boolean last = shown == items.size() - 1;
			if (bytes(text) + bytes(next) > MAX_BYTES - (last ? 0 : reserve)) {
				break;
			}
			text.append(next);
			shown++;
		}
		if (shown < items.size()) {
			text.append((shown > 0) ? " " : "").append(ELLIPSIS).append(" and ").append(items.size() - shown)
				.append(" more");
		}
		return of(text.toString());
	}

	/**
	 * Returns a text as a status: control characters replaced, cut to {@link #MAX_BYTES} bytes
	 * (ending with {@code …}) if longer.
	 * @param text any text
	 * @return the status
	 */
	public static String of(String text) {
		String clean = clean(text);
		if (bytes(clean) <= MAX_BYTES) {
			return clean;
		}
		int budget = MAX_BYTES - bytes(ELLIPSIS);
		StringBuilder cut = new StringBuilder();
		int used = 0;
		// by code point, so that a character is never cut in half
		for (int i = 0; i < clean.length();) {
			int codePoint = clean.codePointAt(i);
			int size = bytes(new String(Character.toChars(codePoint)));
			if (used + size > budget) {
				break;
			}
			cut.appendCodePoint(codePoint);
			used += size;
			i += Character.charCount(codePoint);
		}
		return cut.append(ELLIPSIS).toString();
	}

	private static String clean(String text) {
		StringBuilder clean = new StringBuilder(text.length());
		text.codePoints().forEach((codePoint) -> clean.appendCodePoint(Character.isISOControl(codePoint) ? '?' : codePoint));
		return clean.toString();
	}

	private static int bytes(CharSequence text) {
		return text.toString().getBytes(StandardCharsets.UTF_8).length;
	}

}
