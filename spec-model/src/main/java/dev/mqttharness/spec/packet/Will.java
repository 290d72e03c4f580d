package dev.mqttharness.spec.packet;

/** The Will Message a CONNECT carries (§3.1.2.5 - 3.1.2.7, §3.1.3.2 - 3.1.3.4). */
public record Will(TopicName topic, BinaryData payload, QoS qos, boolean retain, Properties properties) {
    public Will {
        properties = properties == null ? Properties.EMPTY : properties;
    }

    public static Will of(String topic, String payload, QoS qos, boolean retain) {
        return new Will(TopicName.of(topic), BinaryData.of(payload), qos, retain, Properties.EMPTY);
    }

    public Will withProperties(Properties p) {
        return new Will(topic, payload, qos, retain, p);
    }
}
