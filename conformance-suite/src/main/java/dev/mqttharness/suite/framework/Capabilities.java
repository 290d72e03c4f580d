package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;

/**
 * What a broker announced in a successful CONNACK (5.0 §3.2.2.3). In 3.1.1 nothing is announced,
 * so everything counts as available unless brokers.yaml says otherwise.
 */
public record Capabilities(
        int maximumQos,
        boolean retainAvailable,
        boolean wildcardAvailable,
        boolean subscriptionIdentifiersAvailable,
        boolean sharedAvailable,
        int receiveMaximum,
        long maximumPacketSize,
        int topicAliasMaximum,
        Integer serverKeepAlive) {

    public static Capabilities from(Connack ack, MqttVersion version) {
        if (!version.isV5()) {
            return new Capabilities(2, true, true, false, false, 65_535, Long.MAX_VALUE, 0, null);
        }
        Properties p = ack.properties();
        return new Capabilities(
                (int) p.number(PropertyId.MAXIMUM_QOS, 2),
                p.number(PropertyId.RETAIN_AVAILABLE, 1) == 1,
                p.number(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1,
                p.number(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1,
                p.number(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1,
                (int) p.number(PropertyId.RECEIVE_MAXIMUM, 65_535),
                p.number(PropertyId.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE),
                (int) p.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 0),
                p.has(PropertyId.SERVER_KEEP_ALIVE) ? (int) p.number(PropertyId.SERVER_KEEP_ALIVE, 0) : null);
    }

    /** Why the broker announced it lacks {@code c}, or null if it did not. */
    public String lacking(Capability c) {
        switch (c) {
            case RETAIN: return retainAvailable ? null : "CONNACK announces Retain Available 0";
            case WILDCARD_SUBSCRIPTIONS: return wildcardAvailable ? null : "CONNACK announces Wildcard Subscription Available 0";
            case SUBSCRIPTION_IDENTIFIERS:
                return subscriptionIdentifiersAvailable ? null : "CONNACK announces Subscription Identifier Available 0";
            case SHARED_SUBSCRIPTIONS: return sharedAvailable ? null : "CONNACK announces Shared Subscription Available 0";
            case QOS1: return maximumQos >= 1 ? null : "CONNACK announces Maximum QoS " + maximumQos;
            case QOS2: return maximumQos >= 2 ? null : "CONNACK announces Maximum QoS " + maximumQos;
            case TOPIC_ALIASES: return topicAliasMaximum > 0 ? null : "CONNACK announces no Topic Alias Maximum";
            default: return null;
        }
    }
}
