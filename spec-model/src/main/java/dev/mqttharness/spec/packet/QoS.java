package dev.mqttharness.spec.packet;

/** Quality of Service levels. */
public enum QoS {
    AT_MOST_ONCE, AT_LEAST_ONCE, EXACTLY_ONCE;

    private static final QoS[] VALUES = values();

    public int value() {
        return ordinal();
    }

    /** The QoS for 0, 1 or 2; null for 3 and anything else. */
    public static QoS of(int value) {
        return value >= 0 && value <= 2 ? VALUES[value] : null;
    }

    public static QoS min(QoS a, QoS b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    @Override
    public String toString() {
        return "QoS " + ordinal();
    }
}
