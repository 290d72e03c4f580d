package dev.mqttharness.spec.packet;

import java.util.Objects;

/**
 * PUBLISH (§3.3). {@code packetId} is 0 for QoS 0. The application message (topic, payload,
 * properties) is kept with the wire state (DUP, packet identifier, topic alias) of this one packet.
 */
public record Publish(
        boolean dup,
        QoS qos,
        boolean retain,
        TopicName topic,
        int packetId,
        Properties properties,
        BinaryData payload) implements Packet {

    public Publish {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(topic, "topic");
        properties = properties == null ? Properties.EMPTY : properties;
        payload = payload == null ? BinaryData.EMPTY : payload;
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    public static Publish qos0(String topic, String payload) {
        return new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.of(topic), 0, Properties.EMPTY,
                BinaryData.of(payload));
    }

    public static Publish of(String topic, String payload, QoS qos, int packetId, boolean retain) {
        return new Publish(false, qos, retain, TopicName.of(topic), packetId, Properties.EMPTY,
                BinaryData.of(payload));
    }

    public Publish withDup(boolean d) {
        return new Publish(d, qos, retain, topic, packetId, properties, payload);
    }

    public Publish withPacketId(int id) {
        return new Publish(dup, qos, retain, topic, id, properties, payload);
    }

    public Publish withQos(QoS q) {
        return new Publish(dup, q, retain, topic, packetId, properties, payload);
    }

    public Publish withRetain(boolean r) {
        return new Publish(dup, qos, r, topic, packetId, properties, payload);
    }

    public Publish withTopic(TopicName t) {
        return new Publish(dup, qos, retain, t, packetId, properties, payload);
    }

    public Publish withProperties(Properties p) {
        return new Publish(dup, qos, retain, topic, packetId, p, payload);
    }

    public Publish withPayload(BinaryData p) {
        return new Publish(dup, qos, retain, topic, packetId, properties, p);
    }
}
