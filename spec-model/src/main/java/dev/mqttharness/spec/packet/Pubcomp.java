package dev.mqttharness.spec.packet;

/** PUBCOMP (see {@link PubAck}). */
public record Pubcomp(int packetId, int reasonCode, Properties properties) implements PubAck {
    public Pubcomp {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public Pubcomp(int packetId) {
        this(packetId, 0, Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
