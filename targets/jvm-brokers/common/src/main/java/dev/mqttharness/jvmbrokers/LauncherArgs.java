package dev.mqttharness.jvmbrokers;

import java.util.HashMap;
import java.util.Map;

/**
 * The arguments the jvm launcher passes to every broker's main: {@code --name value} pairs. Compiled
 * into each launcher (see the parent pom), since each runs on its own class path.
 */
final class LauncherArgs {
    private final Map<String, String> values = new HashMap<>();

    LauncherArgs(String[] args) {
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    /** The value of {@code --name}, or null when it was not given. */
    String get(String name) {
        return values.get(name);
    }

    String getOrDefault(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of {@code --name}; its absence is an error naming the option. */
    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
