package dev.mqttharness.spec.packet;

/** A UTF-8 String Pair (§1.5.7), the value of a User Property. */
public record StringPair(Utf8String name, Utf8String value) {
    public static StringPair of(String name, String value) {
        return new StringPair(Utf8String.of(name), Utf8String.of(value));
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
