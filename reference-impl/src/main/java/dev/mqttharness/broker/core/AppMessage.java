package dev.mqttharness.broker.core;

import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;

/**
 * An Application Message as the broker holds it, apart from the wire state of any one PUBLISH
 * (packet identifier, DUP, topic alias, subscription identifiers).
 *
 * @param properties the message's own properties, forwarded unchanged: Payload Format Indicator,
 *                   Content Type, Response Topic, Correlation Data, User Properties (in order)
 * @param expiresAt  virtual time (ms) at which the message expires, or -1 if it does not
 */
record AppMessage(TopicName topic, BinaryData payload, QoS qos, boolean retain, Properties properties,
                  String publisher, long receivedAt, long expiresAt) {

    /** Properties a broker forwards with the message; the rest belong to one PUBLISH packet. */
    static Properties messageProperties(Properties p) {
        return p.without(PropertyId.TOPIC_ALIAS, PropertyId.SUBSCRIPTION_IDENTIFIER, PropertyId.MESSAGE_EXPIRY_INTERVAL);
    }

    boolean expired(long now) {
        return expiresAt >= 0 && now >= expiresAt;
    }

    /** Seconds left before expiry, rounded up, for the Message Expiry Interval sent onward (MQTT-3.3.2-6). */
    long remainingSeconds(long now) {
        long ms = Math.max(0, expiresAt - now);
        return (ms + 999) / 1000;
    }

    AppMessage withRetain(boolean r) {
        return new AppMessage(topic, payload, qos, r, properties, publisher, receivedAt, expiresAt);
    }
}
