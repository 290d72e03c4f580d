package dev.mqttharness.broker.core;

import dev.mqttharness.spec.packet.QoS;
import java.util.List;

/** A message on its way to one session: queued, or in flight with a packet identifier. */
final class Outgoing {
    enum State { QUEUED, PUBLISH_SENT, PUBREL_SENT }

    final AppMessage message;
    final QoS qos;
    final boolean retainFlag;
    final List<Long> subscriptionIds;
    int packetId;
    /** Set only by the DUP_PROPAGATED fault: the first transmission copies the publisher's DUP 1. */
    boolean propagatedDup;
    /** The Shared Subscription group this delivery was chosen for, or null (faults on shared deliveries use it). */
    SharedGroup shared;
    State state = State.QUEUED;

    Outgoing(AppMessage message, QoS qos, boolean retainFlag, List<Long> subscriptionIds) {
        this.message = message;
        this.qos = qos;
        this.retainFlag = retainFlag;
        this.subscriptionIds = subscriptionIds;
    }
}
