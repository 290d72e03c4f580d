package dev.mqttharness.spec;

/**
 * Protocol versions the harness speaks. MQTT 3.1 ("MQIsdp", level 3) shares the 3.1.1 packet
 * layout and is judged against the 3.1.1 catalog; it has no numbered statements of its own.
 */
public enum MqttVersion {
    V3_1("MQIsdp", 3, "3.1"),
    V3_1_1("MQTT", 4, "3.1.1"),
    V5("MQTT", 5, "5.0");

    private final String protocolName;
    private final int level;
    private final String label;

    MqttVersion(String protocolName, int level, String label) {
        this.protocolName = protocolName;
        this.level = level;
        this.label = label;
    }

    public String protocolName() {
        return protocolName;
    }

    /** The Protocol Level byte of CONNECT. */
    public int level() {
        return level;
    }

    /** "3.1", "3.1.1" or "5.0", as users write it. */
    public String label() {
        return label;
    }

    public boolean isV5() {
        return this == V5;
    }

    /** The version whose statement catalog applies: 3.1 is judged as 3.1.1. */
    public MqttVersion catalogVersion() {
        return this == V3_1 ? V3_1_1 : this;
    }

    public static MqttVersion fromLevel(int level) {
        for (MqttVersion v : values()) {
            if (v.level == level) {
                return v;
            }
        }
        return null;
    }

    /** Parses "3.1", "3.1.1", "311", "5", "5.0", "v5" (case-insensitive). */
    public static MqttVersion parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("v")) {
            t = t.substring(1);
        }
        switch (t) {
            case "3.1":
            case "31":
                return V3_1;
            case "3.1.1":
            case "311":
            case "3":
                return V3_1_1;
            case "5":
            case "5.0":
            case "50":
                return V5;
            default:
                throw new IllegalArgumentException("unknown MQTT version '" + text + "' (use 3.1.1 or 5.0)");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
