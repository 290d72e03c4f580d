package dev.mqttharness.spec.packet;

/**
 * CONNACK (§3.2). {@code reasonCode} is the 5.0 Connect Reason Code or the 3.1.1 return code,
 * kept as the byte received so that any value a broker sends can be judged.
 */
public record Connack(boolean sessionPresent, int reasonCode, Properties properties) implements Packet {
    public Connack {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public static Connack accepted(boolean sessionPresent) {
        return new Connack(sessionPresent, 0, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }

    public boolean isSuccess() {
        return reasonCode == 0;
    }
}
