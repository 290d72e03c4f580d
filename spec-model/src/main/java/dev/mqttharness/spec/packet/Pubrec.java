package dev.mqttharness.spec.packet;

/** PUBREC (see {@link PubAck}). */
public record Pubrec(int packetId, int reasonCode, Properties properties) implements PubAck {
    public Pubrec {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public Pubrec(int packetId) {
        this(packetId, 0, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
