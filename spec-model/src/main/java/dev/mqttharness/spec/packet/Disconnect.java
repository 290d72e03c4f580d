package dev.mqttharness.spec.packet;

/** DISCONNECT (§3.14). In 3.1.1 it has no variable header: reason code 0, no properties. */
public record Disconnect(int reasonCode, Properties properties) implements Packet {
    public static final Disconnect NORMAL = new Disconnect(0, Properties.EMPTY);

    public Disconnect {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public static Disconnect of(ReasonCode rc) {
        return new Disconnect(rc.value(), Properties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
