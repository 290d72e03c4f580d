package dev.mqttharness.spec.packet;

/** PUBACK (see {@link PubAck}). */
public record Puback(int packetId, int reasonCode, Properties properties) implements PubAck {
    public Puback {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public Puback(int packetId) {
        this(packetId, 0, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
