package dev.mqttharness.targets.internal;

import dev.mqttharness.targets.TargetException;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two kinds of substitution in brokers.yaml: {@code ${VAR}} / {@code ${VAR:-default}} from the
 * environment (credentials, external host, env values), and launch placeholders such as
 * {@code {port}} filled in at each start.
 */
public final class Placeholders {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern LAUNCH = Pattern.compile("(?<!\\$)\\{([a-z][a-z-]*)}");

    private Placeholders() {
    }

    /** True if the whole value is one {@code ${VAR}} reference (the only form allowed for passwords). */
    public static boolean isEnvReference(String value) {
        Matcher m = ENV.matcher(value.trim());
        return m.matches();
    }

    /**
     * Expands {@code ${VAR}} references; a variable that is not set and has no default is an error
     * naming {@code where}.
     */
    public static String expandEnv(String value, Function<String, String> env, String where) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new TargetException(where + ": environment variable " + m.group(1)
                        + " is not set (brokers.yaml takes secrets from the environment only)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Replaces the known launch placeholders ({@code {port}} ...); other braces are left alone. */
    public static String fill(String template, Map<String, String> values) {
        if (template == null) {
            return null;
        }
        Matcher m = LAUNCH.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
