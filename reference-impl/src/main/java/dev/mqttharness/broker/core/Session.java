package dev.mqttharness.broker.core;

import dev.mqttharness.spec.packet.Will;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Server's Session State for one Client Identifier (§4.1): subscriptions, messages queued or
 * in flight to the client, QoS 2 messages received and not yet released, and the will.
 */
final class Session {
    static final long NEVER = -1;

    final String clientId;
    /** The version of the connection that last attached. */
    dev.mqttharness.spec.MqttVersion version;
    /** The connection attached to the session, or null while the client is away. */
    Connection connection;
    /** Seconds the session outlives its connection; 0xFFFFFFFF never expires (5.0 §3.1.2.11.2). */
    long expiryInterval;
    /** Virtual time at which an unattached session expires, or NEVER. */
    long expiresAt = NEVER;

    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    /** In-flight messages to the client by packet identifier, in the order they were sent. */
    final LinkedHashMap<Integer, Outgoing> inflight = new LinkedHashMap<>();
    /** QoS 2 packet identifiers received from the client whose PUBREL has not come yet. */
    final Set<Integer> inboundQos2 = new HashSet<>();
    /** Fault UNSUBSCRIBE_ABANDONS_INFLIGHT only: identifiers of deliveries dropped by an UNSUBSCRIBE. */
    final Set<Integer> abandoned = new HashSet<>();
    private int lastPacketId;

    Will will;
    long willDelay;
    /** Virtual time the will is due, or NEVER if none is pending publication. */
    long willDueAt = NEVER;

    Session(String clientId) {
        this.clientId = clientId;
    }

    /** A non-zero packet identifier not in use by a message in flight (MQTT-2.2.1-4). */
    int nextPacketId() {
        for (int i = 0; i < 65_535; i++) {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
            if (!inflight.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        return 0;
    }
}
