package dev.mqttharness.spec.packet;

import java.util.List;

/** UNSUBSCRIBE (§3.10). */
public record Unsubscribe(int packetId, Properties properties, List<TopicFilter> filters) implements Packet {
    public Unsubscribe {
        properties = properties == null ? Properties.EMPTY : properties;
        filters = List.copyOf(filters);
    }

    public static Unsubscribe of(int packetId, String... filters) {
        return new Unsubscribe(packetId, Properties.EMPTY,
                java.util.Arrays.stream(filters).map(TopicFilter::of).toList());
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
