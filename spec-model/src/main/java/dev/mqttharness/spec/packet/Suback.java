package dev.mqttharness.spec.packet;

import java.util.List;

/** SUBACK (§3.9): one reason (5.0) or return (3.1.1) code per Topic Filter, in order. */
public record Suback(int packetId, Properties properties, List<Integer> reasonCodes) implements Packet {
    public Suback {
        properties = properties == null ? Properties.EMPTY : properties;
        reasonCodes = List.copyOf(reasonCodes);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
