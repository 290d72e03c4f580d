package dev.mqttharness.spec.packet;

/** PINGREQ (§3.12). */
public record Pingreq() implements Packet {
    public static final Pingreq INSTANCE = new Pingreq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
