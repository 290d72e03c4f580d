package dev.mqttharness.spec.packet;

/** PINGRESP (§3.13). */
public record Pingresp() implements Packet {
    public static final Pingresp INSTANCE = new Pingresp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
