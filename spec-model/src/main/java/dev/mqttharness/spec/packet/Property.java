package dev.mqttharness.spec.packet;

import java.util.Objects;

/**
 * One MQTT 5 property: its identifier and a value of the identifier's data type — a number for
 * the integer types, a {@link Utf8String}, {@link BinaryData} or {@link StringPair}. Numbers are not
 * range-checked here, so out-of-range values can be sent on purpose; the encoder writes as many
 * bytes as the type has.
 */
public final class Property {
    private final PropertyId id;
    private final long number;
    private final Object value;

    private Property(PropertyId id, long number, Object value) {
        this.id = id;
        this.number = number;
        this.value = value;
    }

    public static Property number(PropertyId id, long value) {
        if (!id.type().isNumeric()) {
            throw new IllegalArgumentException(id + " is not numeric");
        }
        return new Property(id, value, null);
    }

    public static Property string(PropertyId id, Utf8String value) {
        if (id.type() != PropertyType.UTF8_STRING) {
            throw new IllegalArgumentException(id + " is not a string");
        }
        return new Property(id, 0, Objects.requireNonNull(value));
    }

    public static Property string(PropertyId id, String value) {
        return string(id, Utf8String.of(value));
    }

    public static Property binary(PropertyId id, BinaryData value) {
        if (id.type() != PropertyType.BINARY_DATA) {
            throw new IllegalArgumentException(id + " is not binary");
        }
        return new Property(id, 0, Objects.requireNonNull(value));
    }

    public static Property userProperty(StringPair pair) {
        return new Property(PropertyId.USER_PROPERTY, 0, Objects.requireNonNull(pair));
    }

    public static Property userProperty(String name, String value) {
        return userProperty(StringPair.of(name, value));
    }

    public PropertyId id() {
        return id;
    }

    public long number() {
        return number;
    }

    public Utf8String string() {
        return (Utf8String) value;
    }

    public BinaryData binary() {
        return (BinaryData) value;
    }

    public StringPair pair() {
        return (StringPair) value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Property)) {
            return false;
        }
        Property p = (Property) o;
        return id == p.id && number == p.number && Objects.equals(value, p.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, number, value);
    }

    @Override
    public String toString() {
        return id + "=" + (value == null ? Long.toString(number) : value.toString());
    }
}
