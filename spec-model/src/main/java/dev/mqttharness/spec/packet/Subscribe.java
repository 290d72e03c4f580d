package dev.mqttharness.spec.packet;

import java.util.List;

/** SUBSCRIBE (§3.8). */
public record Subscribe(int packetId, Properties properties, List<TopicSubscription> subscriptions) implements Packet {
    public Subscribe {
        properties = properties == null ? Properties.EMPTY : properties;
        subscriptions = List.copyOf(subscriptions);
    }

    public static Subscribe of(int packetId, String filter, QoS qos) {
        return new Subscribe(packetId, Properties.EMPTY, List.of(TopicSubscription.of(filter, qos)));
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
