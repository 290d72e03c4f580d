package dev.mqttharness.reports;

/**
 * Makes strings from brokers and payloads printable: control characters become their visible
 * Unicode "control picture" (NUL shows as ␀), unpaired surrogates become U+FFFD. Escaping for HTML
 * or XML is the renderer's job; this only keeps the text visible and well-formed.
 */
public final class Text {
    private Text() {
    }

    /** The text with C0 controls (except tab, newline, carriage return), DEL and lone surrogates replaced. */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = null;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                rep = String.valueOf((char) (0x2400 + c));
            } else if (c == 0x7F) {
                rep = "\u2421";
            } else if (c == 0xFFFE || c == 0xFFFF) {
                rep = "\uFFFD";
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                rep = "\uFFFD";
            } else if (Character.isLowSurrogate(c)) {
                rep = "\uFFFD";
            }
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                out.append(rep != null ? rep : String.valueOf(c));
            }
        }
        return out == null ? s : out.toString();
    }

    /** A link target only if it is an http(s) URL; anything else (javascript:, data:) gives null. */
    public static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String u = url.trim();
        String lower = u.toLowerCase(java.util.Locale.ROOT);
        if ((lower.startsWith("https://") || lower.startsWith("http://")) && u.chars().noneMatch(ch -> ch < 0x20)) {
            return u;
        }
        return null;
    }

    /** The first line of a text, shortened to {@code max} characters. */
    public static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        if (nl >= 0) {
            t = t.substring(0, nl).strip() + " …";
        }
        return t.length() > max ? t.substring(0, Math.max(0, max - 1)) + "…" : t;
    }
}
