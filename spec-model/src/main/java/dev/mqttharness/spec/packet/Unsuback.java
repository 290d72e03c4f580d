package dev.mqttharness.spec.packet;

import java.util.List;

/** UNSUBACK (§3.11). In 3.1.1 it has no payload, so {@code reasonCodes} is empty there. */
public record Unsuback(int packetId, Properties properties, List<Integer> reasonCodes) implements Packet {
    public Unsuback {
        properties = properties == null ? Properties.EMPTY : properties;
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
