package dev.mqttharness.spec.packet;

/**
 * A Topic Filter: what a SUBSCRIBE or UNSUBSCRIBE names, possibly with wildcards ({@code +} for one
 * level, {@code #} for the rest) and, in MQTT 5, as a shared subscription
 * {@code $share/{ShareName}/{filter}}. {@link #of} enforces §4.7 and §4.8.2; {@link #unchecked}
 * builds any filter, for sending invalid ones on purpose.
 */
public final class TopicFilter {
    public static final String SHARE_PREFIX = "$share/";

    private final Utf8String value;
    private final String text;

    private TopicFilter(Utf8String value) {
        this.value = value;
        this.text = value.toString();
    }

    public static TopicFilter of(String filter) {
        String problem = problem(filter, true);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic filter '" + filter + "': " + problem);
        }
        return new TopicFilter(Utf8String.of(filter));
    }

    public static TopicFilter unchecked(String filter) {
        return new TopicFilter(Utf8String.unchecked(filter));
    }

    public static TopicFilter unchecked(Utf8String filter) {
        return new TopicFilter(filter);
    }

    /**
     * Why {@code filter} is not a valid topic filter, or null: empty (MQTT-4.7.3-1), misplaced
     * {@code #} or {@code +} (MQTT-4.7.1-2/3 in 3.1.1, 4.7.1-1/2 in 5.0), a malformed shared
     * subscription (§4.8.2, when {@code sharedSyntax}: MQTT 5), or bad UTF-8.
     */
    public static String problem(String filter, boolean sharedSyntax) {
        if (filter.isEmpty()) {
            return "empty";
        }
        Utf8.Problem p = Utf8.check(filter);
        if (p != null) {
            return p.text();
        }
        String f = filter;
        if (sharedSyntax && filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            if (slash < 0) {
                return "shared subscription without a topic filter";
            }
            String share = filter.substring(SHARE_PREFIX.length(), slash);
            if (share.isEmpty()) {
                return "empty share name";
            }
            if (share.indexOf('+') >= 0 || share.indexOf('#') >= 0) {
                return "share name contains a wildcard";
            }
            f = filter.substring(slash + 1);
            if (f.isEmpty()) {
                return "shared subscription with an empty topic filter";
            }
        }
        return wildcardProblem(f);
    }

    private static String wildcardProblem(String f) {
        int n = f.length();
        for (int i = 0; i < n; i++) {
            char c = f.charAt(i);
            if (c == '#') {
                if (i != n - 1) {
                    return "'#' is not the last character";
                }
                if (i > 0 && f.charAt(i - 1) != '/') {
                    return "'#' does not follow a '/'";
                }
            } else if (c == '+') {
                if ((i > 0 && f.charAt(i - 1) != '/') || (i < n - 1 && f.charAt(i + 1) != '/')) {
                    return "'+' does not occupy a whole level";
                }
            }
        }
        return null;
    }

    public Utf8String utf8() {
        return value;
    }

    public boolean isShared() {
        return text.startsWith(SHARE_PREFIX) && text.indexOf('/', SHARE_PREFIX.length()) > 0;
    }

    /** The share name of a shared subscription, or null. */
    public String shareName() {
        if (!isShared()) {
            return null;
        }
        return text.substring(SHARE_PREFIX.length(), text.indexOf('/', SHARE_PREFIX.length()));
    }

    /** The filter that topics are matched against: without the {@code $share/{name}/} prefix. */
    public String matchFilter() {
        if (!isShared()) {
            return text;
        }
        return text.substring(text.indexOf('/', SHARE_PREFIX.length()) + 1);
    }

    public boolean hasWildcard() {
        String f = matchFilter();
        return f.indexOf('+') >= 0 || f.indexOf('#') >= 0;
    }

    /** Whether this filter matches {@code topic} (§4.7), including the '$' rule (§4.7.2). */
    public boolean matches(TopicName topic) {
        return matches(matchFilter(), topic.toString());
    }

    /** Topic matching, character by character, with no normalisation (MQTT-4.7.3-4). */
    public static boolean matches(String filter, String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int fi = 0;
        int ti = 0;
        int fn = filter.length();
        int tn = topic.length();
        while (fi < fn) {
            char c = filter.charAt(fi);
            if (c == '#') {
                return true; // matches the parent level too: "a/#" matches "a"
            }
            if (c == '+') {
                while (ti < tn && topic.charAt(ti) != '/') {
                    ti++;
                }
                fi++;
            } else {
                // literal level: compare up to the next separator
                while (fi < fn && filter.charAt(fi) != '/') {
                    if (ti >= tn || topic.charAt(ti) != filter.charAt(fi)) {
                        return false;
                    }
                    fi++;
                    ti++;
                }
                if (ti < tn && topic.charAt(ti) != '/') {
                    return false;
                }
            }
            // both at a separator or at the end
            if (fi == fn) {
                return ti == tn;
            }
            // filter has '/' at fi
            if (ti == tn) {
                // topic ended: only "/#" may follow
                return fi + 2 == fn && filter.charAt(fi + 1) == '#';
            }
            fi++;
            ti++;
        }
        return ti == tn;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter && value.equals(((TopicFilter) o).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
