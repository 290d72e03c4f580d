package dev.mqttharness.broker.core;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.TopicName;
import java.util.HashMap;
import java.util.Map;

/** One network connection and what the broker knows of its client. */
final class Connection {
    enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    final long id;
    final MqttDecoder decoder;
    final ConnectionInfo info;
    State state = State.AWAITING_CONNECT;
    MqttVersion version;
    Session session;
    String clientId;
    String username;

    /** Effective keep alive in seconds (the client's, or the Server Keep Alive); 0 disables it. */
    int keepAlive;
    long lastPacketAt;

    // what the client announced in CONNECT (5.0)
    int clientReceiveMaximum = 65_535;
    long clientMaximumPacketSize = Long.MAX_VALUE;
    int clientTopicAliasMaximum;
    boolean requestProblemInformation = true;
    boolean requestResponseInformation;
    /** Session Expiry Interval was 0 in CONNECT: a DISCONNECT may not raise it (§3.14.2.2.2). */
    boolean connectExpiryWasZero;

    /** Topic aliases the broker assigned for this client (5.0, server to client). */
    final Map<String, Integer> outboundAliases = new HashMap<>();
    /** Topic aliases the client set up (5.0, client to server); never carried to another connection (MQTT-3.3.2-7). */
    final Map<Integer, TopicName> inboundAliases = new HashMap<>();

    /** Enhanced authentication in progress: the method, the CONNECT awaiting CONNACK, the exchange. */
    String authMethod;
    Connect pendingConnect;
    AuthExchange authExchange;
    /** Set once the broker has decided to close: nothing from the client is processed afterwards. */
    boolean closing;
    /** Fault NON_PUBLISH_HELD_AT_RECEIVE_MAXIMUM only: replies held back while the client's quota is used up. */
    java.util.List<dev.mqttharness.spec.packet.Packet> held;

    Connection(long id, MqttDecoder decoder, ConnectionInfo info, long now) {
        this.id = id;
        this.decoder = decoder;
        this.info = info;
        this.lastPacketAt = now;
    }

    boolean v5() {
        return version != null && version.isV5();
    }
}
