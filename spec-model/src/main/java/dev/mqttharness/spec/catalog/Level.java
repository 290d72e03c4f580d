package dev.mqttharness.spec.catalog;

/**
 * How strongly a requirement binds, in the sense of RFC 2119. A statement printed with several
 * keywords (e.g. "MUST, MAY") takes the strongest, since that is what a violation breaks.
 */
public enum Level {
    MUST, SHOULD, MAY;

    /** Strongest level named in a catalog level column such as "MUST NOT, MUST" or "MAY, SHOULD". */
    public static Level strongestOf(String text) {
        String t = text.toUpperCase(java.util.Locale.ROOT);
        if (t.contains("MUST") || t.contains("REQUIRED") || t.contains("SHALL")) {
            return MUST;
        }
        if (t.contains("SHOULD") || t.contains("RECOMMENDED")) {
            return SHOULD;
        }
        return MAY;
    }
}
