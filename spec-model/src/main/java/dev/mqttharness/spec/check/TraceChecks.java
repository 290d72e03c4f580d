package dev.mqttharness.spec.check;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.spec.verdict.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that hold in every conversation with a broker, judged from a trace alone: what the
 * broker sent must be well formed, CONNACK first and once, packet identifiers fresh, acknowledgements
 * matched, deliveries within what the client subscribed to and announced (Receive Maximum, Maximum
 * Packet Size, Topic Alias Maximum, problem and response information). The conformance suite runs
 * them over every scenario's trace and the fuzzer over every case, so both judge by the same rules.
 *
 * <p>A check that was exercised and held yields one PASS per trace; every violation yields a FAIL.
 */
public final class TraceChecks {
    private final MqttVersion version;
    private final boolean v5;
    private final List<CheckResult> results = new ArrayList<>();
    private final Set<String> passed = new LinkedHashSet<>();

    private TraceChecks(MqttVersion version) {
        this.version = version.catalogVersion();
        this.v5 = this.version == V5;
    }

    /** Judges every connection of a trace in {@code version}. */
    public static List<CheckResult> judge(Trace trace, MqttVersion version) {
        TraceChecks c = new TraceChecks(version);
        Map<String, List<TraceEvent>> byConnection = new LinkedHashMap<>();
        for (TraceEvent e : trace.events()) {
            byConnection.computeIfAbsent(e.connection(), k -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<String, List<TraceEvent>> e : byConnection.entrySet()) {
            c.connection(e.getKey(), e.getValue());
        }
        return c.results;
    }

    private static boolean carriesIdentifierZero(Packet p) {
        switch (p.type()) {
            case PUBLISH: return ((Publish) p).qos() != QoS.AT_MOST_ONCE && ((Publish) p).packetId() == 0;
            case SUBSCRIBE: return ((Subscribe) p).packetId() == 0;
            case UNSUBSCRIBE: return ((Unsubscribe) p).packetId() == 0;
            case PUBREL: return ((PubAck) p).packetId() == 0;
            default: return false;
        }
    }

    /** What one connection has seen so far. */
    private static final class Conn {
        boolean sentIdentifierZero;
        Connect connect;
        boolean connackSeen;
        boolean connackOk;
        boolean sessionPresent;
        int connacks;
        boolean anyReceived;
        final Set<Integer> serverInflight = new LinkedHashSet<>();
        final Map<Integer, Integer> pendingSubscribes = new HashMap<>();
        final Map<Integer, List<TopicSubscription>> subscribeFilters = new HashMap<>();
        final Map<Integer, Integer> pendingUnsubscribes = new HashMap<>();
        final Map<String, Integer> granted = new LinkedHashMap<>();
        final Set<Integer> ourPublishes = new LinkedHashSet<>();
        final Map<Integer, String> aliases = new HashMap<>();
    }

    private void connection(String name, List<TraceEvent> events) {
        Conn c = new Conn();
        for (TraceEvent e : events) {
            Packet p = e.packet();
            if (e.kind() == TraceEvent.Kind.SENT && p != null) {
                sent(c, p);
                c.sentIdentifierZero |= carriesIdentifierZero(p);
            } else if (e.kind() == TraceEvent.Kind.RECEIVED && p != null) {
                received(name, c, p, e);
            } else if (e.kind() == TraceEvent.Kind.MALFORMED) {
                malformed(name, c, e);
            }
        }
    }

    private void sent(Conn c, Packet p) {
        switch (p.type()) {
            case CONNECT:
                c.connect = (Connect) p;
                break;
            case PUBLISH: {
                Publish pub = (Publish) p;
                if (pub.qos() != QoS.AT_MOST_ONCE) {
                    c.ourPublishes.add(pub.packetId());
                }
                break;
            }
            case SUBSCRIBE: {
                Subscribe s = (Subscribe) p;
                c.pendingSubscribes.put(s.packetId(), s.subscriptions().size());
                c.subscribeFilters.put(s.packetId(), s.subscriptions());
                break;
            }
            case UNSUBSCRIBE: {
                Unsubscribe u = (Unsubscribe) p;
                c.pendingUnsubscribes.put(u.packetId(), u.filters().size());
                break;
            }
            case PUBACK:
            case PUBCOMP:
                c.serverInflight.remove(((PubAck) p).packetId());
                break;
            case PUBREC:
                if (((PubAck) p).reasonCode() >= 0x80) {
                    c.serverInflight.remove(((PubAck) p).packetId());
                }
                break;
            case PUBREL:
                // the broker answers every PUBREL with a PUBCOMP of its identifier (a re-sent PUBREL for an
                // exchange it already completed included), so that PUBCOMP is not a stray acknowledgement
                c.ourPublishes.add(((PubAck) p).packetId());
                break;
            default:
                break;
        }
    }

    private void received(String name, Conn c, Packet p, TraceEvent e) {
        boolean first = !c.anyReceived;
        c.anyReceived = true;
        if (c.connect == null) {
            return; // nothing to judge against: the probe never sent CONNECT
        }
        connackFirst(name, c, p, first);
        if (p.type() == PacketType.CONNACK) {
            connack(name, c, (Connack) p);
        }
        if (v5) {
            disconnectAfterConnack(name, c, p);
            limitsAnnouncedByClient(name, c, p, e);
            authOnlyWhenAsked(name, c, p);
        }
        switch (p.type()) {
            case PUBLISH:
                publish(name, c, (Publish) p);
                break;
            case SUBACK:
                suback(name, c, (Suback) p);
                break;
            case UNSUBACK:
                unsuback(name, c, (Unsuback) p);
                break;
            case PUBACK:
            case PUBREC:
            case PUBCOMP:
                ackMatches(name, c, (PubAck) p);
                break;
            default:
                break;
        }
    }

    @Verifies(version = V3_1_1, value = "MQTT-3.2.0-1")
    @Verifies(version = V5, value = {"MQTT-3.2.0-1", "MQTT-3.2.0-2"})
    private void connackFirst(String name, Conn c, Packet p, boolean first) {
        if (first) {
            boolean ok = p.type() == PacketType.CONNACK || (v5 && p.type() == PacketType.AUTH);
            judge("MQTT-3.2.0-1", ok, "the broker's first packet is CONNACK",
                    v5 ? "CONNACK (or AUTH during enhanced authentication) first" : "CONNACK first",
                    name + " received " + PacketFormat.describe(p) + " first");
        }
        if (p.type() == PacketType.CONNACK) {
            c.connacks++;
            if (v5) {
                judge("MQTT-3.2.0-2", c.connacks == 1, "at most one CONNACK per connection", "one CONNACK",
                        name + " received CONNACK number " + c.connacks);
            }
        }
    }

    @Verifies(version = V3_1_1, value = {"MQTT-3.2.2-1", "MQTT-3.2.2-4"})
    @Verifies(version = V5, value = {"MQTT-3.2.2-2", "MQTT-3.2.2-6", "MQTT-3.1.2-28"})
    private void connack(String name, Conn c, Connack a) {
        c.connackSeen = true;
        c.connackOk = a.reasonCode() == 0;
        c.sessionPresent = a.sessionPresent();
        if (a.reasonCode() != 0) {
            judge(v5 ? "MQTT-3.2.2-6" : "MQTT-3.2.2-4", !a.sessionPresent(), "Session Present 0 in a refusing CONNACK",
                    "Session Present 0", name + ": " + PacketFormat.describe(a));
        } else if (c.connect.cleanStart()) {
            judge(v5 ? "MQTT-3.2.2-2" : "MQTT-3.2.2-1", !a.sessionPresent(), "Session Present 0 after a clean start",
                    "Session Present 0", name + ": " + PacketFormat.describe(a));
        }
        if (v5 && a.reasonCode() == 0) {
            boolean asked = c.connect.properties().number(PropertyId.REQUEST_RESPONSE_INFORMATION, 0) == 1;
            if (!asked) {
                judge("MQTT-3.1.2-28", !a.properties().has(PropertyId.RESPONSE_INFORMATION),
                        "no Response Information unless requested", "no Response Information property",
                        name + ": " + PacketFormat.describe(a));
            }
        }
    }

    @Verifies(version = V5, value = "MQTT-3.14.0-1")
    private void disconnectAfterConnack(String name, Conn c, Packet p) {
        if (p.type() == PacketType.DISCONNECT) {
            judge("MQTT-3.14.0-1", c.connackOk, "DISCONNECT only after a successful CONNACK",
                    "no DISCONNECT before CONNACK 0x00", name + " received " + PacketFormat.describe(p)
                            + (c.connackSeen ? " after a refusing CONNACK" : " before any CONNACK"));
        }
    }

    @Verifies(version = V5, value = {"MQTT-3.1.2-24", "MQTT-3.1.2-26", "MQTT-3.1.2-27", "MQTT-3.3.2-11",
            "MQTT-3.1.2-29"})
    private void limitsAnnouncedByClient(String name, Conn c, Packet p, TraceEvent e) {
        Properties cp = c.connect.properties();
        long max = cp.number(PropertyId.MAXIMUM_PACKET_SIZE, Long.MAX_VALUE);
        if (max != Long.MAX_VALUE) {
            judge("MQTT-3.1.2-24", e.bytes().length() <= max, "no packet above the client's Maximum Packet Size",
                    "at most " + max + " bytes", name + " received " + e.bytes().length() + " bytes: " + PacketFormat.describe(p));
        }
        if (p.type() == PacketType.PUBLISH && p.properties().has(PropertyId.TOPIC_ALIAS)) {
            long aliasMax = cp.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 0);
            long alias = p.properties().number(PropertyId.TOPIC_ALIAS, 0);
            if (aliasMax == 0) {
                judge("MQTT-3.1.2-27", false, "no Topic Alias when the client's Topic Alias Maximum is 0",
                        "no Topic Alias", name + " received Topic Alias " + alias);
            } else {
                boolean ok = alias <= aliasMax;
                judge("MQTT-3.1.2-26", ok, "Topic Alias within the client's maximum", "alias <= " + aliasMax,
                        name + " received Topic Alias " + alias);
                judge("MQTT-3.3.2-11", ok, "Topic Alias within the client's maximum", "alias <= " + aliasMax,
                        name + " received Topic Alias " + alias);
            }
        }
        boolean problemInfo = cp.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 1) == 1;
        if (!problemInfo && p.type() != PacketType.PUBLISH && p.type() != PacketType.CONNACK
                && p.type() != PacketType.DISCONNECT) {
            boolean extra = p.properties().has(PropertyId.REASON_STRING) || p.properties().has(PropertyId.USER_PROPERTY);
            judge("MQTT-3.1.2-29", !extra, "no Reason String or User Property when problem information is off",
                    "neither property on " + p.type(), name + " received " + PacketFormat.describe(p));
        }
    }

    @Verifies(version = V5, value = "MQTT-4.12.0-6")
    private void authOnlyWhenAsked(String name, Conn c, Packet p) {
        boolean method = c.connect.properties().has(PropertyId.AUTHENTICATION_METHOD);
        if (method) {
            return;
        }
        if (p instanceof Auth) {
            judge("MQTT-4.12.0-6", false, "no AUTH without an Authentication Method in CONNECT", "no AUTH",
                    name + " received " + PacketFormat.describe(p));
        } else if (p instanceof Connack) {
            judge("MQTT-4.12.0-6", !p.properties().has(PropertyId.AUTHENTICATION_METHOD),
                    "no Authentication Method in CONNACK unless the client sent one", "no Authentication Method",
                    name + " received " + PacketFormat.describe(p));
        }
    }

    @Verifies(version = V3_1_1, value = {"MQTT-2.3.1-4", "MQTT-3.3.2-3", "MQTT-3.8.4-6", "MQTT-4.3.2-1", "MQTT-4.3.3-1"})
    @Verifies(version = V5, value = {"MQTT-2.2.1-4", "MQTT-3.3.2-3", "MQTT-3.8.4-8", "MQTT-3.3.4-9", "MQTT-4.3.2-2",
            "MQTT-4.3.3-2"})
    private void publish(String name, Conn c, Publish p) {
        String topic = p.topic().toString();
        if (v5 && p.properties().has(PropertyId.TOPIC_ALIAS)) {
            int alias = (int) p.properties().number(PropertyId.TOPIC_ALIAS, 0);
            if (topic.isEmpty()) {
                topic = c.aliases.getOrDefault(alias, "");
            } else {
                c.aliases.put(alias, topic);
            }
        }
        if (p.qos() != QoS.AT_MOST_ONCE) {
            boolean resend = p.dup() && c.serverInflight.contains(p.packetId());
            if (!resend) {
                judge(v5 ? "MQTT-2.2.1-4" : "MQTT-2.3.1-4", !c.serverInflight.contains(p.packetId()),
                        "a new PUBLISH uses a packet identifier not in use", "an unused identifier",
                        name + " received packet " + p.packetId() + " while it was still unacknowledged");
                // before the CONNACK (itself a violation of MQTT-3.2.0-1) it is unknown whether a session resumed
                if (!c.sessionPresent && c.connackSeen) {
                    String id = p.qos() == QoS.AT_LEAST_ONCE ? (v5 ? "MQTT-4.3.2-2" : "MQTT-4.3.2-1")
                            : (v5 ? "MQTT-4.3.3-2" : "MQTT-4.3.3-1");
                    judge(id, !p.dup(), "a first delivery has DUP 0", "DUP 0",
                            name + " received " + PacketFormat.describe(p) + " on a new session");
                }
            }
            c.serverInflight.add(p.packetId());
            if (v5) {
                long receiveMax = c.connect.properties().number(PropertyId.RECEIVE_MAXIMUM, 65_535);
                judge("MQTT-3.3.4-9", c.serverInflight.size() <= receiveMax,
                        "no more unacknowledged QoS 1/2 PUBLISHes than the client's Receive Maximum",
                        "at most " + receiveMax + " in flight", name + " had " + c.serverInflight.size() + " in flight");
            }
        }
        if (!c.sessionPresent && !topic.isEmpty() && !c.granted.isEmpty()) {
            int best = -1;
            for (Map.Entry<String, Integer> g : c.granted.entrySet()) {
                TopicFilter f = TopicFilter.unchecked(g.getKey());
                if (TopicFilter.matches(v5 ? f.matchFilter() : g.getKey(), topic)) {
                    best = Math.max(best, g.getValue());
                }
            }
            judge("MQTT-3.3.2-3", best >= 0, "delivered topics match the client's subscriptions",
                    "a topic matching one of " + c.granted.keySet(), name + " received '" + topic + "'");
            if (best >= 0) {
                judge(v5 ? "MQTT-3.8.4-8" : "MQTT-3.8.4-6", p.qos().value() <= best,
                        "delivered QoS at most the granted QoS", "QoS <= " + best,
                        name + " received " + PacketFormat.describe(p));
            }
        }
    }

    @Verifies(version = V3_1_1, value = {"MQTT-3.8.4-2", "MQTT-3.8.4-5"})
    @Verifies(version = V5, value = {"MQTT-3.8.4-2", "MQTT-3.8.4-6", "MQTT-3.9.3-1"})
    private void suback(String name, Conn c, Suback s) {
        Integer n = c.pendingSubscribes.remove(s.packetId());
        judge("MQTT-3.8.4-2", n != null, "SUBACK carries the SUBSCRIBE's packet identifier",
                "the identifier of an outstanding SUBSCRIBE", name + " received SUBACK for packet " + s.packetId()
                        + " (outstanding: " + c.pendingSubscribes.keySet() + ")");
        if (n == null) {
            return;
        }
        judge(v5 ? "MQTT-3.8.4-6" : "MQTT-3.8.4-5", s.reasonCodes().size() == n, "one code per Topic Filter",
                n + " codes", name + " received " + s.reasonCodes().size() + " codes");
        List<TopicSubscription> filters = c.subscribeFilters.remove(s.packetId());
        if (filters != null && s.reasonCodes().size() == filters.size()) {
            for (int i = 0; i < filters.size(); i++) {
                int code = s.reasonCodes().get(i);
                if (code < 0x80) {
                    c.granted.merge(filters.get(i).filter().toString(), code, Math::max);
                }
            }
        }
    }

    @Verifies(version = V3_1_1, value = "MQTT-3.10.4-4")
    @Verifies(version = V5, value = {"MQTT-3.10.4-5", "MQTT-3.11.3-1"})
    private void unsuback(String name, Conn c, Unsuback u) {
        Integer n = c.pendingUnsubscribes.remove(u.packetId());
        judge(v5 ? "MQTT-3.10.4-5" : "MQTT-3.10.4-4", n != null, "UNSUBACK carries the UNSUBSCRIBE's packet identifier",
                "the identifier of an outstanding UNSUBSCRIBE", name + " received UNSUBACK for packet " + u.packetId());
        if (n != null && v5) {
            judge("MQTT-3.11.3-1", u.reasonCodes().size() == n, "one reason code per Topic Filter", n + " codes",
                    name + " received " + u.reasonCodes().size());
        }
    }

    @Verifies(version = V3_1_1, value = "MQTT-2.3.1-6")
    @Verifies(version = V5, value = "MQTT-2.2.1-5")
    private void ackMatches(String name, Conn c, PubAck a) {
        boolean known = c.ourPublishes.contains(a.packetId());
        judge(v5 ? "MQTT-2.2.1-5" : "MQTT-2.3.1-6", known || c.sessionPresent,
                "acknowledgements carry the identifier of a PUBLISH the client sent", "a known identifier",
                name + " received " + PacketFormat.describe(a));
        if (a.type() == PacketType.PUBACK || a.type() == PacketType.PUBCOMP) {
            c.ourPublishes.remove(a.packetId());
        }
    }

    /** A packet the broker sent that does not decode: the decoder names what it breaks. */
    private void malformed(String name, Conn c, TraceEvent e) {
        if (c.sentIdentifierZero && e.text().contains("Packet Identifier 0")) {
            // the probe sent identifier 0 on purpose; an acknowledgement echoing it is what 2.3.1-6/-7
            // (2.2.1-5/-6) ask for, and accepting the request at all is judged by the scenario
            return;
        }
        for (String id : e.statements()) {
            results.add(new CheckResult(id, "the broker sends well-formed packets", Verdict.FAIL,
                    "a packet that decodes", name + " received malformed bytes: " + e.text()));
        }
    }

    private void judge(String id, boolean ok, String check, String expected, String observed) {
        if (ok) {
            if (passed.add(id + "|" + check)) {
                results.add(new CheckResult(id, check, Verdict.PASS, expected, observed));
            }
        } else {
            results.add(new CheckResult(id, check, Verdict.FAIL, expected, observed));
        }
    }

}
