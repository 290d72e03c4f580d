package dev.mqttharness.spec.packet;

/** PUBREL (see {@link PubAck}). */
public record Pubrel(int packetId, int reasonCode, Properties properties) implements PubAck {
    public Pubrel {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public Pubrel(int packetId) {
        this(packetId, 0, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
