package dev.mqttharness.fuzz.gen;

/**
 * Valid packets at the edges of the format: Remaining Length and Variable Byte Integer boundaries
 * (127/128, 16,383/16,384, 2,097,151/2,097,152), the largest packet identifier, empty and maximal
 * strings. A broker must process each like any other packet.
 */
public enum Boundary {
    /** QoS 1 PUBLISH whose Remaining Length is exactly the variant's value. */
    REMAINING_LENGTH(new int[] {127, 128, 16_383, 16_384, 2_097_151, 2_097_152}),
    /** PUBLISH, SUBSCRIBE, UNSUBSCRIBE with Packet Identifier 65,535. */
    PACKET_ID_MAX(new int[] {0, 1, 2}),
    /** QoS 1 PUBLISH with an empty payload; 5.0 also an empty User Property name and value. */
    EMPTY_STRINGS(new int[] {0, 1}),
    /** QoS 1 PUBLISH to a Topic Name of 65,535 bytes; 5.0 also a User Property value of 65,535 bytes. */
    MAX_STRINGS(new int[] {0, 1}),
    /** 5.0 SUBSCRIBE with a Subscription Identifier at a Variable Byte Integer boundary. */
    SUBSCRIPTION_ID(new int[] {1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455});

    private final int[] values;

    Boundary(int[] values) {
        this.values = values;
    }

    public int variants() {
        return values.length;
    }

    public int value(int variant) {
        return values[Math.min(variant, values.length - 1)];
    }

    public String describe(int variant) {
        int v = value(variant);
        switch (this) {
            case REMAINING_LENGTH: return "PUBLISH qos1 with Remaining Length " + v;
            case PACKET_ID_MAX: return new String[] {"PUBLISH qos1", "SUBSCRIBE", "UNSUBSCRIBE"}[v] + " with Packet Identifier 65535";
            case EMPTY_STRINGS: return v == 0 ? "PUBLISH qos1 with an empty payload" : "PUBLISH qos1 with an empty User Property";
            case MAX_STRINGS: return v == 0 ? "PUBLISH qos1 to a 65535-byte Topic Name" : "PUBLISH qos1 with a 65535-byte User Property value";
            case SUBSCRIPTION_ID: return "SUBSCRIBE with Subscription Identifier " + v;
            default: return name();
        }
    }

    /** Packets of a megabyte or more are rare in campaigns: they cost the broker real work. */
    public boolean large(int variant) {
        return this == REMAINING_LENGTH && value(variant) > 100_000;
    }
}
