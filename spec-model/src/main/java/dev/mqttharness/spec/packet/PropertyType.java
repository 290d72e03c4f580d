package dev.mqttharness.spec.packet;

/** Data types of MQTT 5 properties (§1.5, §2.2.2.2). */
public enum PropertyType {
    BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, BINARY_DATA, UTF8_STRING_PAIR;

    public boolean isNumeric() {
        return this == BYTE || this == TWO_BYTE_INTEGER || this == FOUR_BYTE_INTEGER || this == VARIABLE_BYTE_INTEGER;
    }

    /** Largest value a numeric type can carry. */
    public long maxValue() {
        switch (this) {
            case BYTE: return 0xFF;
            case TWO_BYTE_INTEGER: return 0xFFFF;
            case FOUR_BYTE_INTEGER: return 0xFFFF_FFFFL;
            case VARIABLE_BYTE_INTEGER: return VariableByteInteger.MAX_VALUE;
            default: throw new IllegalStateException(this + " is not numeric");
        }
    }
}
