package dev.mqttharness.spec.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statement identifiers. Numbered ones look like {@code MQTT-3.3.1-5}. Requirements the standard
 * states without a number are named by their section, {@code §4.9} or {@code §3.3.4}, so a check
 * can still say which rule it judges.
 */
public final class StatementIds {
    private static final Pattern NUMBERED = Pattern.compile("MQTT-(\\d+)\\.(\\d+)\\.(\\d+)-(\\d+)");
    private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)*)");

    private StatementIds() {
    }

    public static boolean isNumbered(String id) {
        return NUMBERED.matcher(id).matches();
    }

    public static boolean isSectionRef(String id) {
        return SECTION.matcher(id).matches();
    }

    /** The section a statement ID belongs to: "3.3.1" for MQTT-3.3.1-5, "4.9" for §4.9. */
    public static String sectionOf(String id) {
        Matcher m = NUMBERED.matcher(id);
        if (m.matches()) {
            String s = m.group(1) + "." + m.group(2) + "." + m.group(3);
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        Matcher s = SECTION.matcher(id);
        if (s.matches()) {
            return s.group(1);
        }
        throw new IllegalArgumentException("not a statement id: " + id);
    }

    /** Orders IDs numerically (MQTT-3.3.1-10 after MQTT-3.3.1-9), section refs after numbered. */
    public static int compare(String a, String b) {
        int[] x = numbers(a);
        int[] y = numbers(b);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        if (x.length != y.length) {
            return Integer.compare(x.length, y.length);
        }
        return a.compareTo(b);
    }

    private static int[] numbers(String id) {
        String digits = id.replaceAll("[^0-9.\\-]", "").replace('-', '.');
        String[] parts = digits.split("\\.");
        int[] out = new int[parts.length];
        int n = 0;
        for (String p : parts) {
            if (!p.isEmpty()) {
                out[n++] = Integer.parseInt(p);
            }
        }
        int[] trimmed = new int[n];
        System.arraycopy(out, 0, trimmed, 0, n);
        // numbered IDs sort before section refs of the same prefix
        return id.startsWith("§") ? prepend(1, trimmed) : prepend(0, trimmed);
    }

    private static int[] prepend(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
