package dev.mqttharness.spec.packet;

/** AUTH (§3.15), MQTT 5 only. */
public record Auth(int reasonCode, Properties properties) implements Packet {
    public Auth {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
