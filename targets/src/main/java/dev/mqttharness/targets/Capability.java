package dev.mqttharness.targets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A broker feature that a target may deliberately lack ({@code lacks:} in brokers.yaml). Scenarios
 * that need a lacked feature report {@code UNSUPPORTED} for that target instead of running.
 */
public enum Capability {
    SHARED_SUBSCRIPTIONS,
    WILDCARD_SUBSCRIPTIONS,
    SUBSCRIPTION_IDENTIFIERS,
    RETAIN,
    QOS1,
    QOS2,
    WILL,
    WILL_DELAY,
    TOPIC_ALIAS,
    SESSION_EXPIRY,
    MESSAGE_EXPIRY,
    PERSISTENT_SESSIONS,
    ENHANCED_AUTH,
    REQUEST_RESPONSE,
    WEBSOCKET,
    TLS;

    /** The name used in brokers.yaml, e.g. {@code shared-subscriptions}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses a brokers.yaml name; an unknown name is an error that lists the known ones. */
    public static Capability fromYaml(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Capability c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown capability '" + name + "' (known: " + known() + ")");
    }

    static String known() {
        return Arrays.stream(values()).map(Capability::yamlName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return yamlName();
    }
}
