package dev.mqttharness.spec.packet;

/**
 * A Topic Name: what a PUBLISH is published to. {@link #of} enforces the rules of §4.7 (no
 * wildcards, at least one character, no U+0000, at most 65,535 bytes); {@link #unchecked} builds
 * any name, for sending invalid ones on purpose. An empty name is legal on the wire only in an MQTT
 * 5 PUBLISH that carries a Topic Alias; {@link #EMPTY} stands for it.
 */
public final class TopicName {
    public static final TopicName EMPTY = new TopicName(Utf8String.EMPTY);

    private final Utf8String value;

    private TopicName(Utf8String value) {
        this.value = value;
    }

    public static TopicName of(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid topic name '" + name + "': " + problem);
        }
        return new TopicName(Utf8String.of(name));
    }

    public static TopicName unchecked(String name) {
        return name.isEmpty() ? EMPTY : new TopicName(Utf8String.unchecked(name));
    }

    public static TopicName unchecked(Utf8String name) {
        return name.isEmpty() ? EMPTY : new TopicName(name);
    }

    /** Why {@code name} is not a valid topic name, or null (MQTT-4.7.1-1 / 4.7.0-1, 4.7.3-1..3). */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "empty";
        }
        if (name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
            return "contains a wildcard";
        }
        Utf8.Problem p = Utf8.check(name);
        return p == null ? null : p.text();
    }

    public Utf8String utf8() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Names beginning with '$' are not matched by filters starting with a wildcard (§4.7.2). */
    public boolean isDollar() {
        String s = toString();
        return !s.isEmpty() && s.charAt(0) == '$';
    }

    @Override
    public String toString() {
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicName && value.equals(((TopicName) o).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
