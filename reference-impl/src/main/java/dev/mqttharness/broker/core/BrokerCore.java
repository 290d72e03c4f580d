package dev.mqttharness.broker.core;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8;
import dev.mqttharness.spec.packet.Will;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The reference broker as a pure, deterministic state machine: inputs (a connection opened, bytes
 * from a connection, a connection lost, time advanced) produce new state and {@link Effects}
 * (send, close). No I/O, no threads, no wall clock: time is what the caller says it is, so expiry
 * and keep-alive logic can be tested without waiting. Not thread-safe: one caller at a time.
 *
 * <p>Every decision names the statements it enforces ({@link #enforced()} counts them), and each
 * can be switched to a plausible mistake by a {@link Fault} for mutation testing.
 */
public final class BrokerCore {
    /** How long a connection may stay open without sending CONNECT (§3.1.4: "reasonable time"). */
    static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final BrokerConfig config;
    private final BrokerConfig.Limits limits;
    private final Effects fx;
    private final Set<Fault> faults;
    private final RandomGenerator random;

    private final Map<Long, Connection> connections = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final SubscriptionTree<Subscription> subscriptions = new SubscriptionTree<>();
    private final SubscriptionTree<SharedGroup> sharedTree = new SubscriptionTree<>();
    private final Map<String, SharedGroup> sharedGroups = new HashMap<>();
    private final Map<String, AppMessage> retained = new LinkedHashMap<>();
    /** Counts per statement key; a long[1] per key so that counting allocates nothing (load benchmark, JFR). */
    private final Map<String, long[]> enforced = new HashMap<>();
    /** The statement keys an {@link #enforce} ID list stands for, per version, split once (load benchmark, JFR). */
    private final Map<String, String[]> enforceKeys311 = new HashMap<>();
    private final Map<String, String[]> enforceKeys5 = new HashMap<>();
    private final Acl acl;
    private long now;
    private long assignedIds;
    /** Fault DUP_PROPAGATED only: the PUBLISH being routed arrived with DUP 1. */
    private boolean routingDup;

    public BrokerCore(BrokerConfig config, Effects effects, RandomGenerator random) {
        this.config = config;
        this.limits = config.limits();
        this.fx = effects;
        this.random = random;
        EnumSet<Fault> f = EnumSet.noneOf(Fault.class);
        for (String id : config.faults()) {
            f.add(Fault.byId(id));
        }
        this.faults = Collections.unmodifiableSet(f);
        this.acl = new Acl(config.acl());
    }

    // ================================================================ inputs

    /** A client opened a network connection. */
    public void open(long connId, ConnectionInfo info, long now) {
        this.now = now;
        MqttDecoder decoder = MqttDecoder.forServer(limits.maximumPacketSize());
        if (!faults.isEmpty()) {
            // faults that pass over a malformed packet need the decoder to go on after it
            decoder.resumeAfterMalformed(faults.contains(Fault.MALFORMED_NOT_CLOSED)
                    || faults.contains(Fault.SUBSCRIBE_BAD_OPTIONS_NOT_CLOSED)
                    || faults.contains(Fault.DISCONNECT_RESERVED_FLAGS_IGNORED));
            // checks a wrong broker skips, so that the packet is accepted
            if (faults.contains(Fault.PROTOCOL_NAME_NOT_CHECKED)) {
                decoder.tolerate("MQTT-3.1.2-1");
            }
            if (faults.contains(Fault.CONNECT_RESERVED_FLAG_NOT_CHECKED)) {
                decoder.tolerate("MQTT-3.1.2-3");
            }
        }
        connections.put(connId, new Connection(connId, decoder, info, now));
    }

    /**
     * Bytes arrived on a connection. The array is handed over: payloads of decoded packets may
     * refer to it, so the caller must not reuse it.
     */
    public void receive(long connId, byte[] data, int off, int len, long now) {
        this.now = now;
        Connection c = connections.get(connId);
        if (c == null || c.closing) {
            return;
        }
        c.decoder.feed(data, off, len, r -> onDecoded(c, r));
    }

    /** The network connection closed without the broker closing it. */
    public void lost(long connId, long now) {
        this.now = now;
        Connection c = connections.get(connId);
        if (c == null || c.state == Connection.State.CLOSED) {
            return;
        }
        detach(c, true, "connection lost");
    }

    /** Time advanced: keep alive, will delay, session and message expiry. */
    public void tick(long now) {
        this.now = now;
        List<Connection> expired = null;
        for (Connection c : connections.values()) {
            if (c.closing) {
                continue;
            }
            if (c.state == Connection.State.CONNECTED && c.keepAlive > 0
                    && !faults.contains(Fault.KEEP_ALIVE_NOT_ENFORCED)
                    && now - c.lastPacketAt > c.keepAlive * 1500L) {
                expired = add(expired, c);
            } else if (c.state != Connection.State.CONNECTED && now - c.lastPacketAt > CONNECT_TIMEOUT_MS) {
                expired = add(expired, c);
            }
        }
        if (expired != null) {
            for (Connection c : expired) {
                if (c.state == Connection.State.CONNECTED) {
                    // MQTT-3.1.2-24 (3.1.1) / MQTT-3.1.2-22 (5.0): close after 1.5 x Keep Alive of silence
                    enforce(c, "MQTT-3.1.2-24", "MQTT-3.1.2-22");
                    serverDisconnect(c, ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout", true);
                } else {
                    closeNow(c, "no CONNECT within " + CONNECT_TIMEOUT_MS + " ms", false);
                }
            }
        }
        List<Session> ended = null;
        for (Session s : sessions.values()) {
            if (s.willDueAt != Session.NEVER && now >= s.willDueAt) {
                publishWill(s); // Will Delay Interval elapsed (MQTT-3.1.2-8)
            }
            if (s.connection == null && s.expiresAt != Session.NEVER && now >= s.expiresAt
                    && !faults.contains(Fault.SESSION_EXPIRY_IGNORED)) {
                ended = add(ended, s);
            }
        }
        if (ended != null) {
            for (Session s : ended) {
                enforced("5.0 MQTT-4.1.0-2");
                endSession(s);
            }
        }
    }

    /** The earliest virtual time at which {@link #tick} has something to do, or Long.MAX_VALUE. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Connection c : connections.values()) {
            if (c.closing) {
                continue;
            }
            if (c.state == Connection.State.CONNECTED) {
                if (c.keepAlive > 0) {
                    next = Math.min(next, c.lastPacketAt + c.keepAlive * 1500L + 1);
                }
            } else {
                next = Math.min(next, c.lastPacketAt + CONNECT_TIMEOUT_MS + 1);
            }
        }
        for (Session s : sessions.values()) {
            if (s.willDueAt != Session.NEVER) {
                next = Math.min(next, s.willDueAt);
            }
            if (s.connection == null && s.expiresAt != Session.NEVER) {
                next = Math.min(next, s.expiresAt);
            }
        }
        return next;
    }

    /** How often each statement was enforced, keyed "5.0 MQTT-3.3.1-5" / "3.1.1 MQTT-...". */
    public Map<String, Long> enforced() {
        Map<String, Long> out = new HashMap<>(enforced.size() * 2);
        enforced.forEach((k, v) -> out.put(k, v[0]));
        return Collections.unmodifiableMap(out);
    }

    public Set<Fault> faults() {
        return faults;
    }

    /** Number of sessions held (connected or not), for tests and monitoring. */
    public int sessionCount() {
        return sessions.size();
    }

    public int connectionCount() {
        return connections.size();
    }

    // ================================================================ decoding and dispatch

    private void onDecoded(Connection c, DecodeResult r) {
        if (c.closing) {
            if (faults.contains(Fault.REFUSED_CONNECT_DATA_PROCESSED) && c.session == null
                    && r instanceof DecodeResult.Decoded && ((DecodeResult.Decoded) r).packet() instanceof Publish) {
                Publish p = (Publish) ((DecodeResult.Decoded) r).packet();
                route(new AppMessage(p.topic(), p.payload(), p.qos(), false, Properties.EMPTY, "", now, -1));
            }
            return; // MQTT-3.1.4-5 (3.1.1) / MQTT-3.1.4-6 (5.0): nothing after a refused CONNECT is processed
        }
        if (r instanceof Malformed) {
            malformed(c, (Malformed) r);
            return;
        }
        c.lastPacketAt = now;
        Packet p = ((DecodeResult.Decoded) r).packet();
        if (p.type() == PacketType.CONNECT) {
            if (c.state != Connection.State.AWAITING_CONNECT) {
                if (faults.contains(Fault.SECOND_CONNECT_IGNORED)) {
                    return;
                }
                if (faults.contains(Fault.SECOND_CONNECT_ANSWERED)) {
                    send(c, new Connack(false, 0, Properties.EMPTY));
                }
                enforce(c, "MQTT-3.1.0-2", "MQTT-3.1.0-2");
                protocolError(c, ReasonCode.PROTOCOL_ERROR, "second CONNECT");
                return;
            }
            onConnect(c, (Connect) p);
            return;
        }
        if (c.state == Connection.State.AUTHENTICATING && p.type() != PacketType.AUTH
                && p.type() != PacketType.DISCONNECT) {
            // MQTT-3.1.2-30: only AUTH or DISCONNECT until the CONNACK
            enforce(c, "", "MQTT-3.1.2-30");
            protocolError(c, ReasonCode.PROTOCOL_ERROR, p.type() + " before CONNACK during authentication");
            return;
        }
        switch (p.type()) {
            case PUBLISH: onPublish(c, (Publish) p); break;
            case PUBACK: onPuback(c, (Puback) p); break;
            case PUBREC: onPubrec(c, (Pubrec) p); break;
            case PUBREL: onPubrel(c, (Pubrel) p); break;
            case PUBCOMP: onPubcomp(c, (Pubcomp) p); break;
            case SUBSCRIBE: onSubscribe(c, (Subscribe) p); break;
            case UNSUBSCRIBE: onUnsubscribe(c, (Unsubscribe) p); break;
            case PINGREQ:
                if (!faults.contains(Fault.PINGRESP_MISSING)) {
                    enforce(c, "MQTT-3.12.4-1", "MQTT-3.12.4-1");
                    send(c, Pingresp.INSTANCE);
                }
                break;
            case DISCONNECT: onDisconnect(c, (Disconnect) p); break;
            case AUTH: onAuth(c, (Auth) p); break;
            default:
                // the decoder refuses packets a client may not send
                protocolError(c, ReasonCode.PROTOCOL_ERROR, "unexpected " + p.type());
        }
    }

    /** A packet the decoder rejected: answer as the version demands, then close (§4.8 / §4.13). */
    private void malformed(Connection c, Malformed m) {
        MqttVersion v = c.version != null ? c.version : m.version();
        for (String id : m.statements()) {
            if (v != null) {
                enforced(v.catalogVersion().label() + " " + id);
            }
        }
        if (passesOver(c, m)) {
            return; // fault: the packet is passed over (the decoder resumes after it) and the connection kept
        }
        if (c.state == Connection.State.AWAITING_CONNECT) {
            if (m.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.value()) {
                int level = c.decoder.connectProtocolLevel();
                boolean mqttName = "MQTT".equals(c.decoder.connectProtocolName())
                        || "MQIsdp".equals(c.decoder.connectProtocolName());
                boolean answered = mqttName && !faults.contains(Fault.BAD_PROTOCOL_LEVEL_CLOSED_SILENTLY);
                if (answered) {
                    // MQTT-3.1.2-2 (3.1.1): CONNACK 0x01 then close. A level above 5 is answered in
                    // the 5.0 layout with 0x84 (MQTT-3.1.2-2 of 5.0 allows it).
                    boolean present = faults.contains(Fault.SESSION_PRESENT_ON_REJECT);
                    if (level > 5) {
                        enforced("5.0 MQTT-3.1.2-2");
                        Connack ack = new Connack(present, 0x84, Properties.EMPTY);
                        sendRaw(c, encode(ack, MqttVersion.V5), ack);
                    } else {
                        enforced("3.1.1 MQTT-3.1.2-2");
                        Connack ack = new Connack(present, ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION, Properties.EMPTY);
                        sendRaw(c, encode(ack, MqttVersion.V3_1_1), ack);
                    }
                }
                if (answered && faults.contains(Fault.UNSUPPORTED_PROTOCOL_LEVEL_KEPT_OPEN)) {
                    c.closing = true; // ignores the client, but leaves the connection open
                    return;
                }
                closeNow(c, m.reason(), false);
                return;
            }
            if (v == MqttVersion.V5) {
                c.version = v;
                if (faults.contains(Fault.DISCONNECT_BEFORE_CONNACK)) {
                    send(c, new Disconnect(ReasonCode.MALFORMED_PACKET.value(), Properties.EMPTY));
                    closeNow(c, m.reason(), false);
                    return;
                }
                // 5.0 §4.13.1: a CONNACK with the reason code MAY precede the close
                refuse(c, m.reasonCode(), m.reason());
            } else {
                if (faults.contains(Fault.MALFORMED_CONNECT_ANSWERED_WITH_CONNACK) && v != null) {
                    c.version = v;
                    Connack ack = new Connack(false, ReturnCode311.IDENTIFIER_REJECTED, Properties.EMPTY);
                    sendRaw(c, MqttEncoder.encode(ack, v), ack);
                }
                // MQTT-3.1.4-1 (3.1.1): close without a CONNACK
                closeNow(c, m.reason(), false);
            }
            return;
        }
        protocolError(c, ReasonCode.of(m.reasonCode(), PacketType.DISCONNECT) != null
                ? ReasonCode.of(m.reasonCode(), PacketType.DISCONNECT) : ReasonCode.MALFORMED_PACKET, m.reason());
    }

    /** Faults that pass over a malformed packet instead of closing: true if one applies to {@code m}. */
    private boolean passesOver(Connection c, Malformed m) {
        if (faults.isEmpty()) {
            return false;
        }
        List<String> ids = m.statements();
        if (faults.contains(Fault.MALFORMED_NOT_CLOSED) && c.state == Connection.State.CONNECTED) {
            return true;
        }
        if (faults.contains(Fault.MALFORMED_CONNECT_NOT_CLOSED) && m.type() == PacketType.CONNECT
                && c.state == Connection.State.AWAITING_CONNECT
                && m.reasonCode() != ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.value()) {
            c.closing = true; // nothing more is processed, but the connection is left open
            return true;
        }
        if (faults.contains(Fault.SUBSCRIBE_BAD_OPTIONS_NOT_CLOSED) && m.type() == PacketType.SUBSCRIBE
                && (ids.contains("MQTT-3.8.3-4") || ids.contains("MQTT-3.8.3-5") || ids.contains("§3.8.3.1"))) {
            return true;
        }
        return faults.contains(Fault.DISCONNECT_RESERVED_FLAGS_IGNORED) && m.type() == PacketType.DISCONNECT
                && ids.contains("MQTT-3.14.1-1");
    }

    // ================================================================ CONNECT and authentication

    private void onConnect(Connection c, Connect connect) {
        c.version = connect.version();
        boolean v5 = c.v5();
        Properties p = connect.properties();
        if (v5) {
            c.clientReceiveMaximum = (int) p.number(PropertyId.RECEIVE_MAXIMUM, 65_535);
            c.clientMaximumPacketSize = p.number(PropertyId.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE);
            c.clientTopicAliasMaximum = (int) p.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 0);
            c.requestProblemInformation = p.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 1) == 1;
            c.requestResponseInformation = p.number(PropertyId.REQUEST_RESPONSE_INFORMATION, 0) == 1;
            c.connectExpiryWasZero = p.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0) == 0;
        }
        String clientId = connect.clientId().toString();
        if (connect.version() == MqttVersion.V3_1 && (clientId.isEmpty() || connect.clientId().encodedLength() > 23)) {
            // MQTT 3.1 requires 1..23 characters
            refuse(c, ReturnCode311.IDENTIFIER_REJECTED, "MQTT 3.1 Client Identifier must be 1 to 23 characters");
            return;
        }
        int idBytes = connect.clientId().encodedLength();
        if (faults.contains(Fault.CLIENT_ID_OF_23_BYTES_REFUSED) && idBytes == 23) {
            refuse(c, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value() : ReturnCode311.IDENTIFIER_REJECTED,
                    "Client Identifier too long");
            return;
        }
        if (faults.contains(Fault.LONG_CLIENT_ID_REFUSED_WITHOUT_CLOSE) && idBytes > 23) {
            refuse(c, v5 ? ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value() : ReturnCode311.IDENTIFIER_REJECTED,
                    "Client Identifier longer than 23 bytes", true);
            return;
        }
        if (clientId.isEmpty() && !v5 && !connect.cleanStart()
                && !faults.contains(Fault.EMPTY_CLIENT_ID_WITHOUT_CLEAN_ACCEPTED)) {
            enforce(c, "MQTT-3.1.3-8", "");
            refuse(c, ReturnCode311.IDENTIFIER_REJECTED, "zero-length Client Identifier requires Clean Session 1");
            return;
        }
        Will w = connect.will();
        if (w != null && v5) {
            if (w.qos().value() > limits.maximumQos() && !faults.contains(Fault.WILL_QOS_ABOVE_MAXIMUM_ACCEPTED)) {
                enforce(c, "", "MQTT-3.2.2-12");
                refuse(c, ReasonCode.QOS_NOT_SUPPORTED.value(), "Will QoS exceeds Maximum QoS " + limits.maximumQos());
                return;
            }
            if (w.retain() && !limits.retainAvailable() && !faults.contains(Fault.RETAINED_WILL_ACCEPTED_WITHOUT_RETAIN)) {
                enforce(c, "", "MQTT-3.2.2-13");
                refuse(c, ReasonCode.RETAIN_NOT_SUPPORTED.value(), "retained messages are not supported");
                return;
            }
        }
        String method = v5 && p.string(PropertyId.AUTHENTICATION_METHOD) != null
                ? p.string(PropertyId.AUTHENTICATION_METHOD).toString() : null;
        if (method != null) {
            if (!Scram.METHOD.equals(method) || config.users().isEmpty()) {
                enforce(c, "", "MQTT-4.12.0-1");
                refuse(c, ReasonCode.BAD_AUTHENTICATION_METHOD.value(), "unsupported authentication method " + method,
                        faults.contains(Fault.UNSUPPORTED_AUTH_METHOD_KEPT_OPEN));
                return;
            }
            c.authMethod = method;
            c.pendingConnect = connect;
            c.authExchange = newExchange();
            c.state = Connection.State.AUTHENTICATING;
            BinaryData data = p.binary(PropertyId.AUTHENTICATION_DATA);
            authStep(c, data == null ? new byte[0] : data.toByteArray());
            return;
        }
        if (!passwordAccepted(c, connect)) {
            return;
        }
        completeConnect(c, connect, null);
    }

    private AuthExchange newExchange() {
        Scram.Server server = new Scram.Server(config.users()::get, random);
        return server::step;
    }

    /** User name and password (§3.1.3.5, §3.1.3.6): refuse with 0x86 / 0x04 or 0x87 / 0x05. */
    private boolean passwordAccepted(Connection c, Connect connect) {
        boolean v5 = c.v5();
        if (connect.username() == null) {
            if (!config.allowAnonymous()) {
                enforce(c, "", "MQTT-3.1.4-2");
                refuse(c, v5 ? ReasonCode.NOT_AUTHORIZED.value() : ReturnCode311.NOT_AUTHORIZED, "anonymous clients are not allowed");
                return false;
            }
            return true;
        }
        if (config.users().isEmpty()) {
            return true;
        }
        String expected = config.users().get(connect.username().toString());
        String given = connect.password() == null ? null : connect.password().toUtf8();
        if (expected == null || !expected.equals(given)) {
            enforce(c, "", "MQTT-3.1.4-2");
            refuse(c, v5 ? ReasonCode.BAD_USER_NAME_OR_PASSWORD.value() : ReturnCode311.BAD_USER_NAME_OR_PASSWORD,
                    "bad user name or password", faults.contains(Fault.BAD_PASSWORD_KEPT_OPEN));
            return false;
        }
        c.username = connect.username().toString();
        return true;
    }

    private void authStep(Connection c, byte[] data) {
        Scram.Step step = c.authExchange.step(data);
        Properties.Builder props = Properties.builder().string(PropertyId.AUTHENTICATION_METHOD, c.authMethod);
        if (!step.ok()) {
            if (c.state == Connection.State.AUTHENTICATING) {
                enforce(c, "", "MQTT-4.12.0-4");
                refuse(c, ReasonCode.NOT_AUTHORIZED.value(), "authentication failed: " + step.error(),
                        faults.contains(Fault.FAILED_AUTHENTICATION_KEPT_OPEN));
            } else {
                enforce(c, "", "MQTT-4.12.1-2");
                serverDisconnect(c, ReasonCode.NOT_AUTHORIZED, "re-authentication failed: " + step.error(), true);
            }
            return;
        }
        if (!step.done()) {
            // MQTT-4.12.0-2: more is needed, AUTH 0x18; MQTT-4.12.0-5: same method throughout
            enforce(c, "", "MQTT-4.12.0-2,MQTT-4.12.0-5");
            int code = faults.contains(Fault.AUTH_CONTINUE_WRONG_REASON_CODE) ? ReasonCode.RE_AUTHENTICATE.value()
                    : ReasonCode.CONTINUE_AUTHENTICATION.value();
            send(c, new Auth(code, props.binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(step.data())).build()));
            return;
        }
        c.username = step.username();
        if (c.state == Connection.State.AUTHENTICATING) {
            Connect connect = c.pendingConnect;
            c.pendingConnect = null;
            completeConnect(c, connect, step.data());
        } else {
            c.authExchange = null;
            send(c, new Auth(ReasonCode.SUCCESS.value(),
                    props.binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(step.data())).build()));
        }
    }

    private void onAuth(Connection c, Auth a) {
        String method = a.properties().string(PropertyId.AUTHENTICATION_METHOD) == null ? null
                : a.properties().string(PropertyId.AUTHENTICATION_METHOD).toString();
        if (c.authMethod == null || !c.authMethod.equals(method)) {
            // MQTT-4.12.0-7: no AUTH without an Authentication Method in CONNECT; MQTT-4.12.0-5: same method
            enforce(c, "", "MQTT-4.12.0-7");
            protocolError(c, ReasonCode.PROTOCOL_ERROR, "AUTH without the CONNECT's Authentication Method");
            return;
        }
        BinaryData data = a.properties().binary(PropertyId.AUTHENTICATION_DATA);
        byte[] bytes = data == null ? new byte[0] : data.toByteArray();
        if (c.state == Connection.State.AUTHENTICATING && a.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION.value()) {
            authStep(c, bytes);
        } else if (c.state == Connection.State.CONNECTED && a.reasonCode() == ReasonCode.RE_AUTHENTICATE.value()) {
            c.authExchange = newExchange();
            authStep(c, bytes);
        } else if (c.state == Connection.State.CONNECTED && a.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION.value()
                && c.authExchange != null) {
            authStep(c, bytes);
        } else {
            protocolError(c, ReasonCode.PROTOCOL_ERROR, String.format("AUTH with reason code 0x%02X here", a.reasonCode()));
        }
    }

    /** Accepts the connection: takeover, clean start, session state, CONNACK, resumed deliveries. */
    private void completeConnect(Connection c, Connect connect, byte[] authData) {
        boolean v5 = c.v5();
        Properties p = connect.properties();
        String clientId = connect.clientId().toString();
        boolean assigned = false;
        if (clientId.isEmpty()) {
            // MQTT-3.1.3-6: a unique identifier is assigned; 5.0 returns it (MQTT-3.1.3-7, MQTT-3.2.2-16)
            enforce(c, "MQTT-3.1.3-6", "MQTT-3.1.3-6");
            if (faults.contains(Fault.ASSIGNED_CLIENT_ID_NOT_UNIQUE)) {
                clientId = "auto-client";
            } else {
                do {
                    clientId = "auto-" + Long.toString(++assignedIds, 36) + "-" + Integer.toHexString(random.nextInt() & 0xFFFF);
                } while (sessions.containsKey(clientId));
            }
            assigned = true;
        }
        c.clientId = clientId;
        Session existing = sessions.get(clientId);
        if (existing != null && existing.connection != null && existing.connection != c
                && !faults.contains(Fault.TAKEOVER_IGNORED)) {
            Connection old = existing.connection;
            // MQTT-3.1.4-2 (3.1.1) / MQTT-3.1.4-3 (5.0): the existing connection is closed, with DISCONNECT 0x8E in 5.0
            enforce(c, "MQTT-3.1.4-2", "MQTT-3.1.4-3");
            if (old.v5()) {
                sendDisconnect(old, ReasonCode.SESSION_TAKEN_OVER, "another connection took over the session");
            }
            detach(old, true, "session taken over");
            old.closing = true;
            fx.close(old.id, "session taken over");
        }
        boolean cleanStart = connect.cleanStart();
        if (faults.contains(Fault.CLEAN_START_KEEPS_SESSION)) {
            cleanStart = false;
        }
        if (faults.contains(Fault.SESSION_NOT_RESUMED)) {
            cleanStart = true;
        }
        Session session = sessions.get(clientId);
        boolean sessionPresent;
        boolean createdPersistent = session == null && !connect.cleanStart();
        if (cleanStart || session == null) {
            if (session != null) {
                // MQTT-3.1.2-6 (3.1.1) / MQTT-3.1.2-4 (5.0): discard any existing session
                enforce(c, "MQTT-3.1.2-6", "MQTT-3.1.2-4");
                endSession(session);
            } else if (!cleanStart) {
                enforce(c, "", "MQTT-3.1.2-6");
            }
            session = new Session(clientId);
            sessions.put(clientId, session);
            sessionPresent = false;
            enforce(c, "MQTT-3.2.2-1,MQTT-3.2.2-3", "MQTT-3.2.2-2,MQTT-3.2.2-3");
        } else {
            // MQTT-3.1.2-4 (3.1.1) / MQTT-3.1.2-5 (5.0): resume; Session Present 1 (MQTT-3.2.2-2 / -3)
            enforce(c, "MQTT-3.1.2-4,MQTT-3.2.2-2", "MQTT-3.1.2-5,MQTT-3.2.2-3");
            sessionPresent = true;
            if (session.willDueAt != Session.NEVER) {
                // MQTT-3.1.3-9: reconnected before the Will Delay Interval passed
                enforce(c, "", "MQTT-3.1.3-9");
                session.willDueAt = Session.NEVER;
                session.will = null;
            }
        }
        if (faults.contains(Fault.SESSION_PRESENT_ON_CLEAN_START) && connect.cleanStart()) {
            sessionPresent = true;
        }
        if (faults.contains(Fault.SESSION_PRESENT_FOR_NEW_SESSION) && createdPersistent) {
            sessionPresent = true;
        }
        session.connection = c;
        session.version = c.version;
        session.expiresAt = Session.NEVER;
        c.session = session;
        if (v5) {
            long requested = p.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
            session.expiryInterval = Math.min(requested, limits.maximumSessionExpiry());
        } else {
            session.expiryInterval = connect.cleanStart() ? 0 : NEVER_EXPIRES;
        }
        if (faults.contains(Fault.NEW_PERSISTENT_SESSION_NOT_KEPT) && createdPersistent) {
            session.expiryInterval = 0;
        }
        if (connect.will() != null || !faults.contains(Fault.WILL_KEPT_AFTER_DISCONNECT)) {
            session.will = connect.will();
        }
        session.willDelay = session.will == null ? 0
                : session.will.properties().number(PropertyId.WILL_DELAY_INTERVAL, 0);
        if (connect.will() != null) {
            enforce(c, "MQTT-3.1.2-8", "MQTT-3.1.2-7");
        }
        Integer serverKeepAlive = v5 ? limits.serverKeepAlive() : null;
        c.keepAlive = serverKeepAlive != null ? serverKeepAlive
                : faults.contains(Fault.SERVER_KEEP_ALIVE_NOT_USED) ? 60 : connect.keepAlive();
        if (serverKeepAlive == null && v5) {
            enforce(c, "", "MQTT-3.2.2-22");
        }
        Properties.Builder ack = Properties.builder();
        if (v5) {
            if (session.expiryInterval != p.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0)) {
                ack.number(PropertyId.SESSION_EXPIRY_INTERVAL, session.expiryInterval);
            }
            if (limits.receiveMaximum() != 65_535) {
                ack.number(PropertyId.RECEIVE_MAXIMUM, limits.receiveMaximum());
            }
            if (limits.maximumQos() < 2 && !faults.contains(Fault.MAXIMUM_QOS_NOT_ANNOUNCED)) {
                enforce(c, "", "MQTT-3.2.2-9");
                ack.number(PropertyId.MAXIMUM_QOS, limits.maximumQos());
            }
            if (!limits.retainAvailable()) {
                ack.number(PropertyId.RETAIN_AVAILABLE, 0);
            }
            ack.number(PropertyId.MAXIMUM_PACKET_SIZE, limits.maximumPacketSize());
            if (assigned && !faults.contains(Fault.ASSIGNED_CLIENT_ID_MISSING)) {
                enforce(c, "", "MQTT-3.2.2-16,MQTT-3.1.3-7");
                ack.string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, clientId);
            }
            if (limits.topicAliasMaximum() > 0) {
                ack.number(PropertyId.TOPIC_ALIAS_MAXIMUM, limits.topicAliasMaximum());
            }
            if (!limits.wildcardAvailable()) {
                ack.number(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 0);
            }
            if (!limits.subscriptionIdentifiersAvailable()) {
                ack.number(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0);
            }
            if (!limits.sharedAvailable()) {
                ack.number(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 0);
            }
            if (serverKeepAlive != null) {
                ack.number(PropertyId.SERVER_KEEP_ALIVE, serverKeepAlive);
            }
            if (c.requestResponseInformation || faults.contains(Fault.RESPONSE_INFORMATION_UNASKED)) {
                ack.string(PropertyId.RESPONSE_INFORMATION, "response/" + clientId);
            } else {
                enforce(c, "", "MQTT-3.1.2-28");
            }
            if (c.authMethod != null) {
                if (!faults.contains(Fault.AUTH_METHOD_NOT_ECHOED)) {
                    enforce(c, "", "MQTT-4.12.0-5");
                    ack.string(PropertyId.AUTHENTICATION_METHOD, c.authMethod);
                }
                if (authData != null) {
                    ack.binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(authData));
                }
            } else if (faults.contains(Fault.AUTH_METHOD_ANNOUNCED_UNASKED)) {
                ack.string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD);
            } else {
                enforce(c, "", "MQTT-4.12.0-6");
            }
            if (faults.contains(Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE) && c.requestProblemInformation) {
                ack.userProperty("broker", "mqtt-harness reference broker");
            }
        }
        c.state = Connection.State.CONNECTED;
        // MQTT-3.2.0-1: CONNACK first; MQTT-3.1.4-4 (3.1.1) / MQTT-3.1.4-5 (5.0): success code 0
        enforce(c, "MQTT-3.2.0-1,MQTT-3.1.4-4", "MQTT-3.2.0-1,MQTT-3.1.4-5");
        int code = 0;
        if (faults.contains(Fault.ACCEPTED_WITH_REFUSAL_CODE)) {
            code = v5 ? ReasonCode.NOT_AUTHORIZED.value() : ReturnCode311.NOT_AUTHORIZED;
        }
        Connack connack = new Connack(sessionPresent, code, ack.build());
        if (sessionPresent && faults.contains(Fault.QUEUED_SENT_BEFORE_CONNACK)) {
            resumeDeliveries(c, session);
            drain(c, session);
            send(c, connack);
            return;
        }
        send(c, connack);
        if (sessionPresent) {
            resumeDeliveries(c, session);
        }
        drain(c, session);
    }

    /**
     * Refuses a CONNECT: CONNACK with the code (Session Present 0) and close (3.1.1 MQTT-3.2.2-4/-5,
     * 5.0 MQTT-3.2.2-6/-7). In 3.1.1 a code the version lacks closes without CONNACK.
     */
    private void refuse(Connection c, int code, String reason) {
        refuse(c, code, reason, false);
    }

    /** As {@link #refuse(Connection, int, String)}; {@code keepOpen} only for faults that leave the connection open. */
    private void refuse(Connection c, int code, String reason, boolean keepOpen) {
        boolean v5 = c.version == null || c.v5();
        boolean sessionPresent = faults.contains(Fault.SESSION_PRESENT_ON_REJECT);
        if (v5) {
            if (ReasonCode.of(code, PacketType.CONNACK) != null) {
                enforce(c, "", "MQTT-3.2.2-6,MQTT-3.2.2-7");
                Properties.Builder pb = Properties.builder();
                if (c.requestProblemInformation) {
                    pb.string(PropertyId.REASON_STRING, truncate(reason));
                    if (faults.contains(Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE)) {
                        pb.userProperty("broker", "mqtt-harness reference broker");
                    }
                }
                int wire = faults.contains(Fault.CONNACK_311_RETURN_CODES) ? code311(code) : code;
                Connack ack = new Connack(sessionPresent, wire, pb.build());
                if (MqttEncoder.size(ack, MqttVersion.V5) > c.clientMaximumPacketSize
                        && !faults.contains(Fault.REASON_STRING_IGNORES_MAXIMUM_PACKET_SIZE)) {
                    // MQTT-3.2.2-19 / -20: what does not fit is left out (fault: the User Property is kept)
                    ack = new Connack(sessionPresent, wire, faults.contains(Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE)
                            ? ack.properties().without(PropertyId.REASON_STRING) : Properties.EMPTY);
                }
                sendRaw(c, connackBytes(c, MqttEncoder.encodeUnchecked(ack, MqttVersion.V5)), ack);
            }
        } else if (ReturnCode311.isConnackCode(code)) {
            enforce(c, "MQTT-3.2.2-4,MQTT-3.2.2-5", "");
            Connack ack = new Connack(sessionPresent, code, Properties.EMPTY);
            sendRaw(c, MqttEncoder.encodeUnchecked(ack, c.version), ack);
        }
        if (keepOpen || faults.contains(Fault.REJECT_WITHOUT_CLOSE)) {
            c.closing = true; // ignores the client, but leaves the connection open
            return;
        }
        closeNow(c, reason, false);
    }

    /** Fault CONNACK_311_RETURN_CODES: the 3.1.1 return code a 5.0 refusal was meant as. */
    private static int code311(int code) {
        switch (code) {
            case 0x84: return ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION;
            case 0x85: return ReturnCode311.IDENTIFIER_REJECTED;
            case 0x86: return ReturnCode311.BAD_USER_NAME_OR_PASSWORD;
            case 0x87:
            case 0x8C:
                return ReturnCode311.NOT_AUTHORIZED;
            default: return 0x03; // 3.1.1's Server unavailable
        }
    }

    /** Fault CONNACK_RESERVED_FLAGS_SET: a reserved bit of the Acknowledge Flags set in a 5.0 CONNACK. */
    private byte[] connackBytes(Connection c, byte[] bytes) {
        if (faults.contains(Fault.CONNACK_RESERVED_FLAGS_SET) && c.v5() && bytes.length > 2) {
            int flags = 2;
            while (flags < bytes.length && (bytes[flags - 1] & 0x80) != 0) {
                flags++; // past the Remaining Length
            }
            bytes[flags] |= 0x02;
        }
        return bytes;
    }

    // ================================================================ PUBLISH from a client

    private void onPublish(Connection c, Publish p) {
        boolean v5 = c.v5();
        TopicName topic = p.topic();
        if (v5) {
            long alias = p.properties().number(PropertyId.TOPIC_ALIAS, 0);
            if (alias != 0) {
                if (alias > limits.topicAliasMaximum()
                        || (faults.contains(Fault.CLIENT_TOPIC_ALIAS_MAXIMUM_REFUSED) && alias == limits.topicAliasMaximum())) {
                    // MQTT-3.2.2-17/-18 broken by the client; §3.3.2.3.4: DISCONNECT 0x94
                    enforce(c, "", "MQTT-3.2.2-17,MQTT-3.2.2-18,MQTT-3.3.2-9");
                    protocolError(c, ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " exceeds the maximum "
                            + limits.topicAliasMaximum());
                    return;
                }
                if (topic.isEmpty()) {
                    TopicName mapped = c.inboundAliases.get((int) alias);
                    if (mapped == null) {
                        protocolError(c, ReasonCode.PROTOCOL_ERROR, "Topic Alias " + alias + " is not mapped");
                        return;
                    }
                    topic = mapped;
                } else {
                    enforce(c, "", "MQTT-3.3.2-12");
                    c.inboundAliases.put((int) alias, topic);
                }
            }
        }
        if (p.qos().value() > limits.maximumQos()) {
            // MQTT-3.2.2-11 broken by the client: DISCONNECT 0x9B (§3.2.2.3.4)
            enforce(c, "", "MQTT-3.2.2-11");
            protocolError(c, ReasonCode.QOS_NOT_SUPPORTED, "QoS " + p.qos().value() + " exceeds Maximum QoS");
            return;
        }
        if (p.retain() && !limits.retainAvailable()) {
            enforce(c, "", "MQTT-3.2.2-14");
            protocolError(c, ReasonCode.RETAIN_NOT_SUPPORTED, "retained messages are not supported");
            return;
        }
        Session s = c.session;
        if (p.qos() == QoS.EXACTLY_ONCE && s.inboundQos2.contains(p.packetId())) {
            // MQTT-4.3.3-10 (5.0): PUBREC again, no second delivery
            if (!faults.contains(Fault.QOS2_DUPLICATE_DELIVERED)) {
                enforce(c, "MQTT-4.3.3-2", "MQTT-4.3.3-10");
                send(c, new Pubrec(p.packetId()));
                return;
            }
        } else if (p.qos() != QoS.AT_MOST_ONCE && v5 && s.inboundQos2.size() >= limits.receiveMaximum()) {
            // §3.3.4: more unacknowledged QoS > 0 PUBLISHes than Receive Maximum
            enforce(c, "", "MQTT-3.3.4-7");
            protocolError(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "Receive Maximum exceeded");
            return;
        }
        int rc = 0;
        String why = null;
        if (!acl.mayPublish(c, topic.toString())) {
            rc = ReasonCode.NOT_AUTHORIZED.value();
            why = "not authorized to publish to " + topic;
        } else if (v5 && p.properties().number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 0) == 1
                && Utf8.firstProblem(p.payload().toByteArray(), 0, p.payload().length()) >= 0) {
            rc = ReasonCode.PAYLOAD_FORMAT_INVALID.value(); // §3.3.2.3.2: the receiver MAY check
            why = "payload is not UTF-8 although the Payload Format Indicator says so";
        }
        if (rc != 0 && !v5 && p.qos() != QoS.AT_MOST_ONCE && faults.contains(Fault.UNAUTHORIZED_PUBLISH_NOT_ACKNOWLEDGED)) {
            return; // neither the acknowledgement MQTT-3.3.5-2 asks for nor a close
        }
        if (rc == 0) {
            long expiry = v5 ? p.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1) : -1;
            AppMessage m = new AppMessage(topic, p.payload(), p.qos(), p.retain(),
                    v5 ? AppMessage.messageProperties(p.properties()) : Properties.EMPTY, c.clientId, now,
                    expiry < 0 ? -1 : now + expiry * 1000);
            if (p.retain() && !(p.qos() == QoS.AT_MOST_ONCE && faults.contains(Fault.RETAINED_QOS0_IGNORED))) {
                retain(c, m);
            } else if (p.retain()) {
                // fault RETAINED_QOS0_IGNORED: the older retained message stays
            } else if (faults.contains(Fault.RETAIN_0_REPLACES_RETAINED)) {
                retained.put(topic.toString(), m.withRetain(true));
            } else {
                // MQTT-3.3.1-12 (3.1.1) / MQTT-3.3.1-8 (5.0): RETAIN 0 leaves retained messages alone
                enforce(c, "MQTT-3.3.1-12", "MQTT-3.3.1-8");
            }
            // MQTT-4.5.0-1: the message joins the session state of every matching subscriber
            enforce(c, "MQTT-4.5.0-1", "MQTT-4.5.0-1");
            // MQTT-3.3.1-3: the incoming DUP is not propagated (only the DUP_PROPAGATED fault copies it)
            routingDup = p.dup() && faults.contains(Fault.DUP_PROPAGATED);
            route(m);
            routingDup = false;
        } else if (!v5 && p.qos() == QoS.AT_MOST_ONCE) {
            return;
        }
        switch (p.qos()) {
            case AT_MOST_ONCE:
                if (rc != 0 && v5 && rc == ReasonCode.PAYLOAD_FORMAT_INVALID.value()) {
                    protocolError(c, ReasonCode.PAYLOAD_FORMAT_INVALID, why);
                }
                break;
            case AT_LEAST_ONCE:
                if (!faults.contains(Fault.PUBACK_MISSING)) {
                    // MQTT-3.3.4-1, MQTT-4.3.2-2 (3.1.1) / MQTT-4.3.2-4 (5.0); 3.1.1 MQTT-3.3.5-2: a refused
                    // publish is still acknowledged positively
                    enforce(c, "MQTT-3.3.4-1,MQTT-4.3.2-2", "MQTT-3.3.4-1,MQTT-4.3.2-4");
                    send(c, new Puback(p.packetId(), v5 ? rc : 0, problemInfo(c, why)));
                }
                break;
            case EXACTLY_ONCE:
                if (!faults.contains(Fault.PUBREC_MISSING)) {
                    enforce(c, "MQTT-3.3.4-1,MQTT-4.3.3-2", "MQTT-3.3.4-1,MQTT-4.3.3-8");
                    if (rc == 0 || !v5) {
                        s.inboundQos2.add(p.packetId());
                    } else {
                        enforce(c, "", "MQTT-4.3.3-9"); // an error PUBREC ends the exchange
                    }
                    send(c, new Pubrec(p.packetId(), v5 ? rc : 0, problemInfo(c, why)));
                }
                break;
            default:
                break;
        }
    }

    /** A Reason String for an acknowledgement, only if the client asked for problem information (MQTT-3.1.2-29). */
    private Properties problemInfo(Connection c, String why) {
        if (why == null || !c.v5()) {
            return Properties.EMPTY;
        }
        if (!c.requestProblemInformation && !faults.contains(Fault.PROBLEM_INFORMATION_IGNORED)) {
            enforce(c, "", "MQTT-3.1.2-29");
            return Properties.EMPTY;
        }
        return Properties.of(Property.string(PropertyId.REASON_STRING, truncate(why)));
    }

    /** Stores, replaces or clears the retained message for a topic (§3.3.1.3). */
    private void retain(Connection c, AppMessage m) {
        String topic = m.topic().toString();
        if (faults.contains(Fault.RETAIN_NOT_STORED)) {
            return;
        }
        if (m.payload().isEmpty() && !faults.contains(Fault.RETAINED_EMPTY_NOT_CLEARED)) {
            // MQTT-3.3.1-10/-11 (3.1.1) / MQTT-3.3.1-6/-7 (5.0): an empty payload clears, is not stored
            enforce(c, "MQTT-3.3.1-10,MQTT-3.3.1-11", "MQTT-3.3.1-6,MQTT-3.3.1-7");
            retained.remove(topic);
            return;
        }
        // MQTT-3.3.1-5: store, replacing any previous one
        enforce(c, "MQTT-3.3.1-5", "MQTT-3.3.1-5");
        retained.remove(topic); // re-insert so iteration order follows the latest update
        retained.put(topic, m);
    }

    // ================================================================ routing and delivery

    /** Per-session result of matching one message against that session's subscriptions. */
    private static final class Match {
        QoS qos;
        boolean retainAsPublished;
        List<Long> subscriptionIds;
        List<Subscription> subs;
    }

    /** Faults PLUS_MATCHES_SEVERAL_LEVELS and TOPIC_MATCHING_IGNORES_CASE: what the wrong matcher accepts. */
    private boolean wronglyMatches(String filter, String topic) {
        if (faults.contains(Fault.TOPIC_MATCHING_IGNORES_CASE)
                && TopicFilter.matches(filter.toLowerCase(java.util.Locale.ROOT), topic.toLowerCase(java.util.Locale.ROOT))) {
            return true;
        }
        if (faults.contains(Fault.PLUS_MATCHES_SEVERAL_LEVELS) && filter.contains("+")) {
            StringBuilder re = new StringBuilder();
            for (String level : filter.split("/", -1)) {
                if (re.length() > 0) {
                    re.append('/');
                }
                re.append(level.equals("+") ? ".*" : level.equals("#") ? ".*" : java.util.regex.Pattern.quote(level));
            }
            return !topic.startsWith("$") && topic.matches(re.toString());
        }
        return false;
    }

    private void route(AppMessage m) {
        String topic = m.topic().toString();
        Map<Session, Match> matches = new LinkedHashMap<>();
        boolean dollarFault = faults.contains(Fault.DOLLAR_TOPIC_MATCHED_BY_WILDCARD);
        java.util.function.Consumer<Subscription> onMatch = sub -> {
            if (faults.contains(Fault.WILDCARD_GRANTED_BUT_NEVER_MATCHED) && TopicFilter.unchecked(sub.filter).hasWildcard()) {
                return;
            }
            if (sub.noLocal && sub.session.clientId.equals(m.publisher()) && !faults.contains(Fault.NO_LOCAL_IGNORED)) {
                enforced("5.0 MQTT-3.8.3-3");
                return;
            }
            Match mt = matches.computeIfAbsent(sub.session, k -> new Match());
            QoS q = faults.contains(Fault.QOS_NOT_DOWNGRADED) ? m.qos() : QoS.min(m.qos(), sub.qos);
            boolean lowest = faults.contains(Fault.OVERLAP_LOWEST_QOS);
            mt.qos = mt.qos == null ? q : ((q.value() > mt.qos.value()) != lowest ? q : mt.qos);
            mt.retainAsPublished |= sub.retainAsPublished;
            if (mt.subs == null) {
                mt.subs = new ArrayList<>(2);
            }
            mt.subs.add(sub);
            if (sub.subscriptionId != 0 && !faults.contains(Fault.SUBSCRIPTION_IDENTIFIER_DROPPED)) {
                if (mt.subscriptionIds == null) {
                    mt.subscriptionIds = new ArrayList<>(2);
                } else if (faults.contains(Fault.SUBSCRIPTION_IDENTIFIERS_ONLY_FIRST)) {
                    return;
                }
                mt.subscriptionIds.add(sub.subscriptionId);
            }
        };
        subscriptions.match(dollarFault && topic.startsWith("$") ? "x" + topic.substring(1) : topic, onMatch);
        if (faults.contains(Fault.PLUS_MATCHES_SEVERAL_LEVELS) || faults.contains(Fault.TOPIC_MATCHING_IGNORES_CASE)) {
            // faults of the matcher: subscriptions a wrong matcher also finds
            for (Session s : sessions.values()) {
                for (Subscription sub : s.subscriptions.values()) {
                    if (!sub.shared() && !TopicFilter.matches(sub.filter, topic) && wronglyMatches(sub.filter, topic)) {
                        onMatch.accept(sub);
                    }
                }
            }
        }
        for (Map.Entry<Session, Match> e : matches.entrySet()) {
            Match mt = e.getValue();
            Session s = e.getKey();
            if (faults.contains(Fault.COPY_PER_SUBSCRIPTION_WRONG_IDENTIFIER) && mt.subs.size() > 1) {
                // one copy per subscription, each with the identifier of the first
                List<Long> first = mt.subscriptionIds == null ? List.of() : List.of(mt.subscriptionIds.get(0));
                for (Subscription sub : mt.subs) {
                    boolean flag = m.retain() && sub.retainAsPublished;
                    deliver(s, new Outgoing(m, QoS.min(m.qos(), sub.qos), flag, first));
                }
                continue;
            }
            boolean v5 = s.connection == null || s.connection.v5();
            boolean retainFlag = m.retain()
                    && (faults.contains(Fault.RETAIN_FLAG_KEPT_ON_FORWARD) || (mt.retainAsPublished
                    && !faults.contains(Fault.RETAIN_AS_PUBLISHED_IGNORED)));
            // MQTT-3.3.1-9 (3.1.1) / MQTT-3.3.1-12, -13 (5.0): RETAIN on forwarding follows Retain As Published
            enforced(v5 ? "5.0 MQTT-3.3.1-12" : "3.1.1 MQTT-3.3.1-9");
            // MQTT-3.8.4-6 (3.1.1) / MQTT-3.8.4-8 (5.0): QoS is the minimum of published and granted
            enforced(v5 ? "5.0 MQTT-3.8.4-8" : "3.1.1 MQTT-3.8.4-6");
            deliver(s, new Outgoing(m, mt.qos, retainFlag,
                    mt.subscriptionIds == null ? List.of() : mt.subscriptionIds));
        }
        sharedTree.match(topic, group -> {
            Subscription member = group.pick();
            if (member == null) {
                return;
            }
            deliverShared(group, member, m);
        });
    }

    /** One message to the member of a Shared Subscription group chosen for it. */
    private void deliverShared(SharedGroup group, Subscription member, AppMessage m) {
        QoS q = faults.contains(Fault.SHARED_QOS_NOT_DOWNGRADED) ? m.qos() : QoS.min(m.qos(), member.qos);
        enforced("5.0 MQTT-4.8.2-3");
        Outgoing o = new Outgoing(m, q, m.retain() && member.retainAsPublished,
                member.subscriptionId == 0 ? List.of() : List.of(member.subscriptionId));
        o.shared = group;
        deliver(member.session, o);
    }

    /** Faults SHARED_*_REDISPATCHED: a shared delivery handed to another member of its group. */
    private void redispatch(Session from, Outgoing o) {
        Subscription other = o.shared.other(from);
        if (other != null) {
            deliverShared(o.shared, other, o.message);
        }
    }

    /** Sends at once if the client is connected and its window allows, else queues (QoS > 0) or drops (QoS 0 offline). */
    private void deliver(Session s, Outgoing o) {
        o.propagatedDup = routingDup;
        Connection c = s.connection;
        if (o.qos == QoS.AT_MOST_ONCE) {
            if (c != null && c.state == Connection.State.CONNECTED) {
                sendPublish(c, s, o);
            }
            return;
        }
        if (c == null) {
            if (faults.contains(Fault.OFFLINE_MESSAGES_DROPPED)) {
                return;
            }
            // MQTT-3.1.2-5 (3.1.1): QoS 1 and 2 messages are stored for a disconnected session
            enforced("3.1.1 MQTT-3.1.2-5");
        }
        if (s.queue.size() >= limits.maxQueuedMessages()) {
            return; // the queue is bounded; the oldest stay, the newest are dropped
        }
        if (faults.contains(Fault.ORDER_NOT_KEPT)) {
            s.queue.addFirst(o);
        } else {
            s.queue.addLast(o);
        }
        if (c != null && c.state == Connection.State.CONNECTED) {
            drain(c, s);
        }
    }

    /** Sends queued messages while the client's Receive Maximum allows (MQTT-3.3.4-9, §4.9). */
    private void drain(Connection c, Session s) {
        while (!s.queue.isEmpty() && !c.closing
                && (s.inflight.size() < c.clientReceiveMaximum || faults.contains(Fault.RECEIVE_MAXIMUM_IGNORED))) {
            Outgoing o = s.queue.pollFirst();
            sendPublish(c, s, o);
        }
        if (!s.queue.isEmpty() && c.v5()) {
            enforced("5.0 MQTT-3.3.4-9");
        }
        if (c.held != null && s.inflight.size() < c.clientReceiveMaximum) {
            List<Packet> held = c.held;
            c.held = null;
            for (Packet p : held) {
                send(c, p);
            }
        }
    }

    /** Puts one message on the wire: packet identifier, expiry, aliases, size limit. */
    private void sendPublish(Connection c, Session s, Outgoing o) {
        AppMessage m = o.message;
        boolean v5 = c.v5();
        if (v5 && m.expired(now) && !faults.contains(Fault.EXPIRED_MESSAGE_DELIVERED)) {
            enforced("5.0 MQTT-3.3.2-5"); // expired before onward delivery started: dropped
            return;
        }
        if (o.qos != QoS.AT_MOST_ONCE) {
            o.packetId = faults.contains(Fault.PACKET_ID_REUSED) && !s.inflight.isEmpty()
                    ? s.inflight.keySet().iterator().next() : s.nextPacketId();
            enforced(v5 ? "5.0 MQTT-2.2.1-4" : "3.1.1 MQTT-2.3.1-4");
        }
        TopicName topic = m.topic();
        Properties props = Properties.EMPTY;
        Integer newAlias = null;
        if (v5) {
            props = forwardedProperties(c, m, o);
            int aliasMax = faults.contains(Fault.TOPIC_ALIAS_UNASKED) ? 10 : c.clientTopicAliasMaximum;
            if (faults.contains(Fault.TOPIC_ALIAS_ABOVE_CLIENT_MAXIMUM) && aliasMax > 0) {
                aliasMax++; // off by one
            }
            if (aliasMax > 0) {
                Integer alias = c.outboundAliases.get(topic.toString());
                if (alias != null) {
                    props = props.toBuilder().number(PropertyId.TOPIC_ALIAS, alias).build();
                    topic = TopicName.EMPTY;
                } else if (c.outboundAliases.size() < aliasMax) {
                    newAlias = c.outboundAliases.size() + 1;
                    props = props.toBuilder().number(PropertyId.TOPIC_ALIAS, newAlias).build();
                }
                enforced("5.0 MQTT-3.3.2-11");
            } else {
                enforced("5.0 MQTT-3.1.2-27");
            }
        }
        Publish pub = new Publish(o.propagatedDup, o.qos, o.retainFlag, topic, o.packetId, props, m.payload());
        byte[] bytes = encode(c, pub);
        if (bytes.length > c.clientMaximumPacketSize && !faults.contains(Fault.OVERSIZED_PACKET_SENT)) {
            // MQTT-3.1.2-24/-25: too large for the client: discarded as if sent
            enforced("5.0 MQTT-3.1.2-24");
            enforced("5.0 MQTT-3.1.2-25");
            return;
        }
        if (newAlias != null) {
            c.outboundAliases.put(m.topic().toString(), newAlias);
        }
        if (o.qos != QoS.AT_MOST_ONCE) {
            o.state = Outgoing.State.PUBLISH_SENT;
            s.inflight.put(o.packetId, o);
        }
        // MQTT-4.3.1-1, MQTT-4.3.2-1/-2, MQTT-4.3.3-1/-2 (5.0): a new PUBLISH has DUP 0
        enforced(v5 ? "5.0 MQTT-4.3.1-1" : "3.1.1 MQTT-4.3.1-1");
        sendRaw(c, bytes, pub);
    }

    /** The message's properties as forwarded to this client, plus this delivery's expiry and subscription ids. */
    private Properties forwardedProperties(Connection c, AppMessage m, Outgoing o) {
        Properties base = m.properties();
        if (faults.contains(Fault.USER_PROPERTIES_DROPPED)) {
            base = base.without(PropertyId.USER_PROPERTY);
        }
        if (faults.contains(Fault.PAYLOAD_FORMAT_DROPPED)) {
            base = base.without(PropertyId.PAYLOAD_FORMAT_INDICATOR);
        }
        if (faults.contains(Fault.CONTENT_TYPE_DROPPED)) {
            base = base.without(PropertyId.CONTENT_TYPE);
        }
        if (faults.contains(Fault.RESPONSE_TOPIC_DROPPED)) {
            base = base.without(PropertyId.RESPONSE_TOPIC);
        }
        if (faults.contains(Fault.CORRELATION_DATA_DROPPED)) {
            base = base.without(PropertyId.CORRELATION_DATA);
        }
        if (faults.contains(Fault.USER_PROPERTIES_REORDERED)) {
            List<Property> list = new ArrayList<>(base.list());
            List<Property> users = new ArrayList<>();
            list.removeIf(pp -> pp.id() == PropertyId.USER_PROPERTY && users.add(pp));
            Collections.reverse(users);
            list.addAll(users);
            base = Properties.of(list);
        }
        boolean hasExpiry = m.expiresAt() >= 0;
        if (!hasExpiry && o.subscriptionIds.isEmpty()) {
            return base;
        }
        Properties.Builder b = base.toBuilder();
        if (hasExpiry) {
            // MQTT-3.3.2-6: the interval left, not the one received
            enforced("5.0 MQTT-3.3.2-6");
            long remaining = faults.contains(Fault.MESSAGE_EXPIRY_NOT_DECREMENTED)
                    ? (m.expiresAt() - m.receivedAt()) / 1000 : m.remainingSeconds(now);
            b.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, remaining);
        }
        for (long id : o.subscriptionIds) {
            // MQTT-3.3.4-3/-4: the identifiers of the matching subscriptions
            b.number(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
        }
        if (!o.subscriptionIds.isEmpty()) {
            enforced("5.0 MQTT-3.3.4-3");
        }
        // MQTT-3.3.2-4, -15, -16, -17, -18, -20: message properties forwarded unaltered and in order
        enforced("5.0 MQTT-3.3.2-17");
        return b.build();
    }

    /** On session resume: unacknowledged PUBLISHes again with DUP 1, and PUBRELs, in order (MQTT-4.4.0-1). */
    private void resumeDeliveries(Connection c, Session s) {
        if (faults.contains(Fault.NO_RETRANSMIT_ON_RESUME)) {
            s.inflight.clear();
            return;
        }
        enforce(c, "MQTT-4.4.0-1", "MQTT-4.4.0-1");
        c.outboundAliases.clear(); // aliases do not survive the connection (MQTT-3.3.2-7)
        List<Outgoing> resend = new ArrayList<>(s.inflight.values());
        for (Outgoing o : resend) {
            if (o.shared != null && faults.contains(Fault.SHARED_INFLIGHT_NOT_RESUMED)) {
                s.inflight.remove(o.packetId);
                continue;
            }
            if (o.state == Outgoing.State.PUBREL_SENT) {
                send(c, new Pubrel(o.packetId));
                continue;
            }
            AppMessage m = o.message;
            Properties props = c.v5() ? forwardedProperties(c, m, o) : Properties.EMPTY;
            boolean dup = !faults.contains(Fault.RETRANSMIT_WITHOUT_DUP);
            // MQTT-3.3.1-1: DUP 1 on re-delivery; MQTT-4.3.3-7: an expired QoS 2 message already sent is still completed
            enforce(c, "MQTT-3.3.1-1", "MQTT-3.3.1-1");
            Publish pub = new Publish(dup, o.qos, o.retainFlag, m.topic(), o.packetId, props, m.payload());
            byte[] bytes = encode(c, pub);
            if (bytes.length > c.clientMaximumPacketSize) {
                s.inflight.remove(o.packetId); // too large for the new connection: as if delivered
                continue;
            }
            sendRaw(c, bytes, pub);
        }
    }

    private void onPuback(Connection c, Puback a) {
        Session s = c.session;
        Outgoing o = s.inflight.get(a.packetId());
        if (o != null && o.qos == QoS.AT_LEAST_ONCE && o.state == Outgoing.State.PUBLISH_SENT) {
            s.inflight.remove(a.packetId()); // MQTT-4.3.2-3: acknowledged now
            if (a.reasonCode() >= 0x80 && o.shared != null && faults.contains(Fault.SHARED_REFUSED_REDISPATCHED)) {
                redispatch(s, o);
            }
            drain(c, s);
        }
    }

    private void onPubrec(Connection c, Pubrec a) {
        Session s = c.session;
        Outgoing o = s.inflight.get(a.packetId());
        if (o == null || o.qos != QoS.EXACTLY_ONCE) {
            if (o == null && s.abandoned.remove(a.packetId())) {
                return; // fault UNSUBSCRIBE_ABANDONS_INFLIGHT: the delivery was dropped, its PUBREC ignored
            }
            if (!faults.contains(Fault.PUBREL_MISSING)) {
                send(c, new Pubrel(a.packetId(), c.v5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND.value() : 0, Properties.EMPTY));
            }
            return;
        }
        if (a.reasonCode() >= 0x80) {
            // MQTT-4.4.0-2: an error PUBREC acknowledges; not re-sent
            enforce(c, "", "MQTT-4.4.0-2");
            s.inflight.remove(a.packetId());
            if (o.shared != null && faults.contains(Fault.SHARED_REFUSED_REDISPATCHED)) {
                redispatch(s, o);
            }
            drain(c, s);
            return;
        }
        if (faults.contains(Fault.PUBREL_MISSING)) {
            return;
        }
        // MQTT-4.3.3-1 (3.1.1) / MQTT-4.3.3-4 (5.0): PUBREL with the same identifier
        enforce(c, "MQTT-4.3.3-1", "MQTT-4.3.3-4");
        o.state = Outgoing.State.PUBREL_SENT;
        send(c, new Pubrel(a.packetId()));
    }

    private void onPubrel(Connection c, Pubrel r) {
        Session s = c.session;
        boolean known = s.inboundQos2.remove(r.packetId());
        if (faults.contains(Fault.PUBCOMP_MISSING)) {
            return;
        }
        // MQTT-4.3.3-11 (5.0): PUBCOMP with the same identifier; 0x92 if it was not known
        enforce(c, "", "MQTT-4.3.3-11,MQTT-4.3.3-12");
        int rc = known || !c.v5() ? 0 : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND.value();
        send(c, new Pubcomp(r.packetId(), rc, Properties.EMPTY));
    }

    private void onPubcomp(Connection c, Pubcomp a) {
        Session s = c.session;
        Outgoing o = s.inflight.get(a.packetId());
        if (o != null && o.state == Outgoing.State.PUBREL_SENT) {
            s.inflight.remove(a.packetId()); // MQTT-4.3.3-5: complete
            drain(c, s);
        }
    }

    // ================================================================ SUBSCRIBE, UNSUBSCRIBE

    private void onSubscribe(Connection c, Subscribe sub) {
        boolean v5 = c.v5();
        Session s = c.session;
        long subId = v5 ? sub.properties().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 0) : 0;
        if (subId != 0 && !limits.subscriptionIdentifiersAvailable()) {
            protocolError(c, ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, "Subscription Identifiers are not supported");
            return;
        }
        List<Integer> codes = new ArrayList<>(sub.subscriptions().size());
        List<Runnable> retainedDeliveries = new ArrayList<>();
        boolean anyNew = false;
        boolean first = true;
        for (TopicSubscription ts : sub.subscriptions()) {
            TopicFilter filter = ts.filter();
            String text = filter.toString();
            if (!first && faults.contains(Fault.SUBSCRIBE_ONLY_FIRST_FILTER)) {
                codes.add(Math.min(ts.qos().value(), limits.maximumQos())); // answered as granted, never subscribed
                continue;
            }
            first = false;
            if (faults.contains(Fault.SUBACK_UNDEFINED_FAILURE_CODE) && text.startsWith("$") && !(v5 && filter.isShared())) {
                codes.add(v5 ? ReasonCode.PROTOCOL_ERROR.value() : ReasonCode.NOT_AUTHORIZED.value());
                anyNew = true;
                continue;
            }
            if (faults.contains(Fault.QOS2_SUBSCRIPTION_REFUSED_WHEN_LIMITED) && ts.qos().value() > limits.maximumQos()) {
                codes.add(v5 ? ReasonCode.UNSPECIFIED_ERROR.value() : ReturnCode311.SUBACK_FAILURE);
                anyNew = true;
                continue;
            }
            boolean shared = v5 && filter.isShared();
            if (shared && !limits.sharedAvailable()) {
                protocolError(c, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, "Shared Subscriptions are not supported");
                return;
            }
            if (filter.hasWildcard() && !limits.wildcardAvailable()) {
                if (v5) {
                    protocolError(c, ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, "Wildcard Subscriptions are not supported");
                    return;
                }
                enforce(c, "MQTT-3.8.3-2", "");
                codes.add(ReturnCode311.SUBACK_FAILURE);
                continue;
            }
            if (!acl.maySubscribe(c, text)) {
                codes.add(v5 ? ReasonCode.NOT_AUTHORIZED.value() : ReturnCode311.SUBACK_FAILURE);
                continue;
            }
            QoS granted = QoS.of(faults.contains(Fault.SUBACK_GRANTS_MAXIMUM_QOS) ? limits.maximumQos()
                    : Math.min(ts.qos().value(), limits.maximumQos()));
            // MQTT-3.8.4-5 (3.1.1) / MQTT-3.8.4-6, -7 (5.0): one code per filter, the QoS granted
            enforce(c, "MQTT-3.8.4-5", "MQTT-3.8.4-6,MQTT-3.8.4-7");
            codes.add(granted.value());
            Subscription existing = s.subscriptions.get(text);
            boolean isNew = existing == null || faults.contains(Fault.SUBSCRIPTION_NOT_REPLACED);
            anyNew |= isNew;
            Subscription target;
            if (isNew) {
                target = shared ? new Subscription(s, text, filter.matchFilter(), filter.shareName())
                        : new Subscription(s, text, text, null);
                s.subscriptions.put(text, target);
                if (shared) {
                    sharedGroups.computeIfAbsent(text, k -> {
                        SharedGroup g = new SharedGroup(k, filter.matchFilter());
                        sharedTree.add(filter.matchFilter(), g);
                        return g;
                    }).members.add(target);
                } else {
                    subscriptions.add(text, target);
                }
            } else {
                // MQTT-3.8.4-3: an identical filter replaces the subscription
                enforce(c, "MQTT-3.8.4-3", "MQTT-3.8.4-3");
                target = existing;
            }
            target.qos = granted;
            target.noLocal = ts.noLocal();
            target.retainAsPublished = ts.retainAsPublished();
            target.retainHandling = ts.retainHandling();
            target.subscriptionId = subId;
            if (shared) {
                continue; // no retained messages for shared subscriptions (§3.8.4)
            }
            boolean send;
            if (!isNew && faults.contains(Fault.RESUBSCRIBE_SENDS_NO_RETAINED)) {
                send = false;
            } else if (!v5) {
                send = true; // MQTT-3.3.1-6, MQTT-3.8.4-3 (3.1.1): always (re-)sent
            } else if (ts.retainHandling() == 0) {
                send = true; // MQTT-3.3.1-9
            } else if (ts.retainHandling() == 1) {
                send = isNew || faults.contains(Fault.RETAIN_HANDLING_1_RESENDS); // MQTT-3.3.1-10
            } else {
                send = faults.contains(Fault.RETAIN_HANDLING_2_SENDS); // MQTT-3.3.1-11
            }
            enforce(c, "MQTT-3.3.1-6", ts.retainHandling() == 0 ? "MQTT-3.3.1-9"
                    : ts.retainHandling() == 1 ? "MQTT-3.3.1-10" : "MQTT-3.3.1-11");
            if (send && !faults.contains(Fault.RETAINED_NOT_SENT_ON_SUBSCRIBE)) {
                retainedDeliveries.add(() -> sendRetained(c, target));
            }
        }
        int packetId = faults.contains(Fault.SUBACK_WRONG_PACKET_ID) ? (sub.packetId() % 65_535) + 1 : sub.packetId();
        if (!anyNew && faults.contains(Fault.SUBACK_MISSING_ON_RESUBSCRIBE)) {
            return;
        }
        if (faults.contains(Fault.SUBACK_SINGLE_CODE)) {
            codes = new ArrayList<>(codes.subList(0, 1));
        }
        if (faults.contains(Fault.SUBACK_CODES_REVERSED)) {
            Collections.reverse(codes);
        }
        // MQTT-3.8.4-1, -2: a SUBACK with the same packet identifier
        enforce(c, "MQTT-3.8.4-1,MQTT-3.8.4-2,MQTT-3.9.3-1", "MQTT-3.8.4-1,MQTT-3.8.4-2,MQTT-3.9.3-1");
        send(c, new Suback(packetId, ackProperties(c, "subscribed"), codes));
        for (Runnable r : retainedDeliveries) {
            r.run();
        }
    }

    /** Retained messages matching a new subscription, with RETAIN 1 (MQTT-3.3.1-8 of 3.1.1; §3.3.1.3 of 5.0). */
    private void sendRetained(Connection c, Subscription sub) {
        if (faults.contains(Fault.WILDCARD_GRANTED_BUT_NEVER_MATCHED) && TopicFilter.unchecked(sub.filter).hasWildcard()) {
            return;
        }
        boolean dollarFault = faults.contains(Fault.DOLLAR_TOPIC_MATCHED_BY_WILDCARD);
        Iterator<AppMessage> it = retained.values().iterator();
        List<AppMessage> matched = new ArrayList<>();
        while (it.hasNext()) {
            AppMessage m = it.next();
            if (m.expired(now)) {
                it.remove();
                continue;
            }
            String t = m.topic().toString();
            if (TopicFilter.matches(sub.matchFilter, dollarFault && t.startsWith("$") ? "x" + t.substring(1) : t)) {
                matched.add(m);
            }
        }
        for (AppMessage m : matched) {
            boolean flag = !faults.contains(Fault.RETAINED_SENT_WITHOUT_RETAIN_FLAG);
            deliver(c.session, new Outgoing(m, QoS.min(m.qos(), sub.qos), flag,
                    sub.subscriptionId == 0 ? List.of() : List.of(sub.subscriptionId)));
        }
    }

    private void onUnsubscribe(Connection c, Unsubscribe u) {
        Session s = c.session;
        List<Integer> codes = new ArrayList<>(u.filters().size());
        boolean any = false;
        boolean first = true;
        for (TopicFilter f : u.filters()) {
            String text = f.toString();
            if (!first && faults.contains(Fault.UNSUBSCRIBE_ONLY_FIRST_FILTER)) {
                codes.add(ReasonCode.SUCCESS.value()); // answered as removed, never removed
                continue;
            }
            first = false;
            // MQTT-3.10.4-1: compared character by character
            Subscription sub = faults.contains(Fault.UNSUBSCRIBE_IGNORED) ? null : s.subscriptions.remove(text);
            if (faults.contains(Fault.UNSUBSCRIBE_MATCHES_WILDCARDS) && !f.hasWildcard()) {
                // the wrong comparison: the filter taken as a topic, every subscription matching it removed
                for (Iterator<Subscription> it = s.subscriptions.values().iterator(); it.hasNext(); ) {
                    Subscription other = it.next();
                    if (!other.shared() && TopicFilter.matches(other.filter, text)) {
                        it.remove();
                        removeSubscription(other);
                        sub = sub == null ? other : sub;
                    }
                }
            }
            if (sub != null) {
                removeSubscription(sub);
                if (faults.contains(Fault.UNSUBSCRIBE_ABANDONS_INFLIGHT)) {
                    abandonInflight(s, sub);
                }
                any = true;
                codes.add(ReasonCode.SUCCESS.value());
            } else {
                codes.add(faults.contains(Fault.UNSUBSCRIBE_IGNORED) ? ReasonCode.SUCCESS.value()
                        : faults.contains(Fault.UNSUBACK_UNDEFINED_CODE) ? ReasonCode.NO_MATCHING_SUBSCRIBERS.value()
                        : ReasonCode.NO_SUBSCRIPTION_EXISTED.value());
            }
        }
        if (!any && faults.contains(Fault.UNSUBACK_MISSING_WHEN_NONE)) {
            return;
        }
        if (faults.contains(Fault.UNSUBACK_CODES_REVERSED)) {
            Collections.reverse(codes);
        }
        int packetId = faults.contains(Fault.UNSUBACK_WRONG_PACKET_ID) ? (u.packetId() % 65_535) + 1 : u.packetId();
        // MQTT-3.10.4-2, -4, -5: stop delivering, and always answer with UNSUBACK and the same identifier
        enforce(c, "MQTT-3.10.4-2,MQTT-3.10.4-4,MQTT-3.10.4-5", "MQTT-3.10.4-2,MQTT-3.10.4-4,MQTT-3.10.4-5");
        send(c, new Unsuback(packetId, ackProperties(c, "unsubscribed"), c.v5() ? codes : List.of()));
    }

    /** Fault UNSUBSCRIBE_ABANDONS_INFLIGHT: QoS 2 deliveries begun for a removed subscription are dropped. */
    private void abandonInflight(Session s, Subscription sub) {
        for (Iterator<Outgoing> it = s.inflight.values().iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.qos == QoS.EXACTLY_ONCE && o.state == Outgoing.State.PUBLISH_SENT
                    && TopicFilter.matches(sub.matchFilter, o.message.topic().toString())) {
                it.remove();
                s.abandoned.add(o.packetId);
            }
        }
    }

    /**
     * Properties of a SUBACK / UNSUBACK: none. Only the faults that ignore the client's Maximum Packet
     * Size add a Reason String or User Property (as asked for by Request Problem Information).
     */
    private Properties ackProperties(Connection c, String why) {
        if (!c.v5() || !c.requestProblemInformation
                || (!faults.contains(Fault.REASON_STRING_IGNORES_MAXIMUM_PACKET_SIZE)
                && !faults.contains(Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE))) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        if (faults.contains(Fault.REASON_STRING_IGNORES_MAXIMUM_PACKET_SIZE)) {
            b.string(PropertyId.REASON_STRING, why);
        }
        if (faults.contains(Fault.USER_PROPERTY_IGNORES_MAXIMUM_PACKET_SIZE)) {
            b.userProperty("broker", "mqtt-harness reference broker");
        }
        return b.build();
    }

    private void removeSubscription(Subscription sub) {
        if (sub.shared()) {
            SharedGroup g = sharedGroups.get(sub.filter);
            if (g != null) {
                g.members.remove(sub);
                if (g.members.isEmpty()) {
                    sharedGroups.remove(sub.filter);
                    sharedTree.remove(g.matchFilter, g);
                }
            }
        } else {
            subscriptions.remove(sub.filter, sub);
        }
    }

    // ================================================================ DISCONNECT, close, will, session end

    private void onDisconnect(Connection c, Disconnect d) {
        boolean v5 = c.v5();
        if (v5 && d.properties().has(PropertyId.SESSION_EXPIRY_INTERVAL)) {
            long requested = d.properties().number(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
            if (c.connectExpiryWasZero && requested != 0) {
                // §3.14.2.2.2: raising a zero Session Expiry Interval on DISCONNECT is a Protocol Error
                protocolError(c, ReasonCode.PROTOCOL_ERROR, "Session Expiry Interval was 0 in CONNECT");
                return;
            }
            if (c.session != null) {
                c.session.expiryInterval = Math.min(requested, limits.maximumSessionExpiry());
            }
        }
        boolean publishWill = v5 && d.reasonCode() != ReasonCode.NORMAL_DISCONNECTION.value();
        if (!publishWill && c.session != null && c.session.will != null) {
            // MQTT-3.14.4-3 and MQTT-3.1.2-10: a normal DISCONNECT discards the will
            enforce(c, "MQTT-3.14.4-3,MQTT-3.1.2-10", "MQTT-3.14.4-3,MQTT-3.1.2-10");
        }
        if (faults.contains(Fault.WILL_ON_NORMAL_DISCONNECT)) {
            publishWill = true;
        }
        Session s = c.session;
        Will kept = !publishWill && s != null && faults.contains(Fault.WILL_KEPT_AFTER_DISCONNECT) ? s.will : null;
        closeNow(c, "client sent DISCONNECT", publishWill);
        if (kept != null && sessions.get(s.clientId) == s) {
            s.will = kept; // fault: the Will stays with the session
        }
    }

    /** A protocol violation after CONNECT: 5.0 DISCONNECT with the reason, then close; 3.1.1 close (MQTT-4.8.0-1). */
    private void protocolError(Connection c, ReasonCode rc, String reason) {
        if (c.state != Connection.State.CONNECTED) {
            refuse(c, rc.value(), reason);
            return;
        }
        enforce(c, "MQTT-4.8.0-1", "MQTT-4.13.1-1,MQTT-4.13.2-1");
        serverDisconnect(c, rc, reason, true);
    }

    /** The broker ends a connection it accepted: 5.0 DISCONNECT with reason code, then close (MQTT-4.13.2-1). */
    private void serverDisconnect(Connection c, ReasonCode rc, String reason, boolean publishWill) {
        if (c.v5() && c.state == Connection.State.CONNECTED) {
            // MQTT-3.14.0-1: only after a successful CONNACK
            sendDisconnect(c, rc, reason);
        }
        closeNow(c, reason, publishWill);
    }

    private void sendDisconnect(Connection c, ReasonCode rc, String reason) {
        Properties.Builder props = Properties.builder();
        if (faults.contains(Fault.DISCONNECT_WITH_SESSION_EXPIRY)) {
            props.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0);
        } else {
            enforce(c, "", "MQTT-3.14.2-2");
        }
        props.string(PropertyId.REASON_STRING, truncate(reason));
        Disconnect d = new Disconnect(rc.value(), props.build());
        if (MqttEncoder.size(d, MqttVersion.V5) > c.clientMaximumPacketSize) {
            d = new Disconnect(rc.value(), Properties.EMPTY); // MQTT-3.14.2-3
        }
        send(c, d);
    }

    /** Closes the connection now; the will goes out if {@code publishWill}. */
    private void closeNow(Connection c, String reason, boolean publishWill) {
        if (c.state == Connection.State.CLOSED) {
            return;
        }
        c.closing = true;
        detach(c, publishWill, reason);
        fx.close(c.id, reason);
    }

    /** The connection is gone: handle the will and the session's lifetime. */
    private void detach(Connection c, boolean publishWill, String reason) {
        Connection.State was = c.state;
        c.state = Connection.State.CLOSED;
        c.closing = true;
        connections.remove(c.id);
        Session s = c.session;
        if (s == null || s.connection != c) {
            return;
        }
        s.connection = null;
        if (was != Connection.State.CONNECTED) {
            return;
        }
        if (faults.contains(Fault.WILL_NOT_PUBLISHED)) {
            publishWill = false;
        }
        if (s.will != null) {
            if (publishWill) {
                if (s.willDelay > 0 && c.v5() && !faults.contains(Fault.WILL_DELAY_IGNORED)) {
                    s.willDueAt = now + Math.min(s.willDelay, sessionLifetimeSeconds(s)) * 1000;
                } else {
                    publishWill(s);
                }
            } else {
                s.will = null;
            }
        }
        if (s.expiryInterval == 0) {
            endSession(s);
        } else if (s.expiryInterval != NEVER_EXPIRES) {
            s.expiresAt = now + s.expiryInterval * 1000;
        }
    }

    private long sessionLifetimeSeconds(Session s) {
        return s.expiryInterval == NEVER_EXPIRES ? Long.MAX_VALUE / 2000 : s.expiryInterval;
    }

    /** Publishes the session's will (MQTT-3.1.2-8) and forgets it (MQTT-3.1.2-10). */
    private void publishWill(Session s) {
        Will w = s.will;
        s.will = null;
        s.willDueAt = Session.NEVER;
        if (w == null) {
            return;
        }
        Properties wp = w.properties();
        long expiry = wp.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
        boolean retain = faults.contains(Fault.WILL_RETAIN_IGNORED) ? false
                : w.retain() || faults.contains(Fault.WILL_RETAINED_WITHOUT_FLAG);
        // MQTT-3.1.2-16/-17 (3.1.1) / MQTT-3.1.2-14/-15 (5.0): retained exactly when Will Retain is 1
        boolean v5 = s.version == MqttVersion.V5;
        enforced(v5 ? "5.0 MQTT-3.1.2-8" : "3.1.1 MQTT-3.1.2-8");
        enforced(v5 ? (w.retain() ? "5.0 MQTT-3.1.2-15" : "5.0 MQTT-3.1.2-14")
                : (w.retain() ? "3.1.1 MQTT-3.1.2-17" : "3.1.1 MQTT-3.1.2-16"));
        Properties forwarded = wp.without(PropertyId.WILL_DELAY_INTERVAL);
        if (faults.contains(Fault.WILL_USER_PROPERTIES_REORDERED)) {
            List<Property> list = new ArrayList<>(forwarded.list());
            List<Property> users = new ArrayList<>();
            list.removeIf(pp -> pp.id() == PropertyId.USER_PROPERTY && users.add(pp));
            Collections.reverse(users);
            list.addAll(users);
            forwarded = Properties.of(list);
        }
        AppMessage m = new AppMessage(w.topic(), w.payload(), w.qos(), retain,
                AppMessage.messageProperties(forwarded), s.clientId, now,
                expiry < 0 ? -1 : now + expiry * 1000);
        if (retain) {
            retainWill(m);
        }
        route(m);
    }

    private void retainWill(AppMessage m) {
        if (m.payload().isEmpty()) {
            retained.remove(m.topic().toString());
        } else {
            retained.remove(m.topic().toString());
            retained.put(m.topic().toString(), m);
        }
    }

    /** The session ends: its will (if still pending) goes out, its subscriptions and messages go. */
    private void endSession(Session s) {
        if (s.willDueAt != Session.NEVER) {
            publishWill(s); // MQTT-3.1.2-8 (5.0): at the latest when the session ends
        }
        if (faults.contains(Fault.RETAINED_DELETED_WITH_SESSION)) {
            retained.values().removeIf(m -> s.clientId.equals(m.publisher()));
        }
        if (faults.contains(Fault.SHARED_INFLIGHT_REDISPATCHED)) {
            List<Outgoing> cut = new ArrayList<>();
            for (Outgoing o : s.inflight.values()) {
                if (o.shared != null && o.state == Outgoing.State.PUBLISH_SENT) {
                    cut.add(o);
                }
            }
            for (Subscription sub : s.subscriptions.values()) {
                removeSubscription(sub); // leave the groups first, so that another member gets the messages
            }
            for (Outgoing o : cut) {
                redispatch(s, o);
            }
        }
        for (Subscription sub : s.subscriptions.values()) {
            removeSubscription(sub);
        }
        s.subscriptions.clear();
        s.queue.clear();
        s.inflight.clear();
        s.inboundQos2.clear();
        sessions.remove(s.clientId, s);
    }

    // ================================================================ output helpers

    private void send(Connection c, Packet p) {
        if (faults.contains(Fault.NON_PUBLISH_HELD_AT_RECEIVE_MAXIMUM) && c.session != null
                && (p.type() == PacketType.PINGRESP || p.type() == PacketType.SUBACK || p.type() == PacketType.UNSUBACK)
                && c.session.inflight.size() >= c.clientReceiveMaximum) {
            if (c.held == null) {
                c.held = new ArrayList<>();
            }
            c.held.add(p); // fault: replies wait behind the PUBLISH quota
            return;
        }
        byte[] bytes = encode(c, p);
        if (p.type() == PacketType.CONNACK) {
            bytes = connackBytes(c, bytes);
        }
        sendRaw(c, bytes, p);
    }

    private byte[] encode(Connection c, Packet p) {
        return encode(p, c.version);
    }

    private byte[] encode(Packet p, MqttVersion v) {
        // strict unless a fault is on: the reference broker never sends an invalid packet by accident
        return faults.isEmpty() ? MqttEncoder.encode(p, v) : MqttEncoder.encodeUnchecked(p, v);
    }

    private void sendRaw(Connection c, byte[] bytes, Packet p) {
        fx.send(c.id, bytes, p);
    }

    private static String truncate(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private void enforce(Connection c, String v311, String v5) {
        boolean isV5 = c.version == null || c.v5();
        String ids = isV5 ? v5 : v311;
        if (ids.isEmpty()) {
            return;
        }
        String[] keys = (isV5 ? enforceKeys5 : enforceKeys311).computeIfAbsent(ids, k -> {
            String prefix = isV5 ? "5.0 " : "3.1.1 ";
            String[] parts = k.split(",");
            for (int i = 0; i < parts.length; i++) {
                parts[i] = prefix + parts[i];
            }
            return parts;
        });
        for (String key : keys) {
            enforced(key);
        }
    }

    private void enforced(String key) {
        long[] n = enforced.get(key);
        if (n == null) {
            enforced.put(key, new long[] {1});
        } else {
            n[0]++;
        }
    }

    private static <T> List<T> add(List<T> list, T item) {
        List<T> l = list == null ? new ArrayList<>() : list;
        l.add(item);
        return l;
    }

    /** Per-client publish and subscribe rules (first match wins; no rules allows everything). */
    private static final class Acl {
        private final List<BrokerConfig.AclRule> rules;

        Acl(List<BrokerConfig.AclRule> rules) {
            this.rules = rules;
        }

        boolean mayPublish(Connection c, String topic) {
            return allowed(c, topic, BrokerConfig.AclRule.Access.PUBLISH, false);
        }

        boolean maySubscribe(Connection c, String filter) {
            return allowed(c, filter, BrokerConfig.AclRule.Access.SUBSCRIBE, true);
        }

        private boolean allowed(Connection c, String topic, BrokerConfig.AclRule.Access access, boolean isFilter) {
            for (BrokerConfig.AclRule r : rules) {
                if (r.access() != access && r.access() != BrokerConfig.AclRule.Access.BOTH) {
                    continue;
                }
                if (!"*".equals(r.who()) && !r.who().equals(c.clientId) && !r.who().equals(c.username)) {
                    continue;
                }
                boolean hit = isFilter ? r.topicFilter().equals(topic) || TopicFilter.matches(r.topicFilter(), topic)
                        : TopicFilter.matches(r.topicFilter(), topic);
                if (hit) {
                    return r.allow();
                }
            }
            return true;
        }
    }
}
