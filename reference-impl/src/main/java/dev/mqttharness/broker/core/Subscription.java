package dev.mqttharness.broker.core;

import dev.mqttharness.spec.packet.QoS;

/**
 * A session's subscription to one topic filter, with the options of the SUBSCRIBE that made it.
 * Replacing a subscription (MQTT-3.8.4-3) updates the options in place.
 */
final class Subscription {
    final Session session;
    /** The filter as subscribed, including any {@code $share/{name}/} prefix. */
    final String filter;
    /** The filter matched against topics. */
    final String matchFilter;
    final String shareName;
    QoS qos;
    boolean noLocal;
    boolean retainAsPublished;
    int retainHandling;
    long subscriptionId;

    Subscription(Session session, String filter, String matchFilter, String shareName) {
        this.session = session;
        this.filter = filter;
        this.matchFilter = matchFilter;
        this.shareName = shareName;
    }

    boolean shared() {
        return shareName != null;
    }
}
