package dev.mqttharness.fuzz.oracle;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference model oracle for sequences of valid actions: it predicts the set of outcomes the
 * spec allows, not one exact outcome, and flags only what the spec forbids.
 *
 * <p>The runner reports facts as they happen (connections and their sessions, subscriptions and
 * their SUBACKs, publishes and their acknowledgements, wills and abrupt closes), each stamped with
 * the trace clock; deliveries are read from the trace. Messages are recognised by a payload token
 * unique to the case. Sessions follow the broker's own Session Present flag; a check that depends on
 * a race (a QoS 0 message, a subscription still awaiting its SUBACK, a will published while a
 * subscriber changes its subscriptions) only ever widens what is allowed.
 *
 * <p>Forbidden: a delivery with no matching subscription in the receiving session (or matching only a
 * discarded session's), a QoS above the granted or the published QoS, a QoS 2 message delivered twice
 * as new to a session with a single matching subscription, messages of one publisher on one topic at
 * one QoS out of order, a 5.0 No Local subscription receiving its own message. Required: a QoS 1/2
 * message the publisher saw acknowledged, for a subscriber that was connected, subscribed (SUBACK
 * received, QoS 1 or 2 granted), acknowledging everything and still connected at the end; the
 * retained message of a topic on a new subscription when every retained publish to that topic was
 * acknowledged before the SUBSCRIBE; the will of a client the harness dropped, for such subscribers.
 */
public final class DeliveryModel {
    private final MqttVersion v;
    private final String token;

    private final Map<String, Conn> conns = new LinkedHashMap<>();
    private final Map<String, Session> current = new HashMap<>();
    private final Map<String, List<Session>> history = new HashMap<>();
    private final List<Msg> msgs = new ArrayList<>();
    private final List<SubChange> changes = new ArrayList<>();
    private final Set<String> uncertainRetained = new HashSet<>();

    /**
     * @param v     the version of the case
     * @param token the prefix of every payload the case publishes ("&lt;token&gt;:&lt;n&gt;")
     */
    public DeliveryModel(MqttVersion v, String token) {
        this.v = v;
        this.token = token + ":";
    }

    private static final class Session {
        final String clientId;
        final List<SubRec> subs = new ArrayList<>();
        final List<String> conns = new ArrayList<>();

        Session(String clientId) {
            this.clientId = clientId;
        }
    }

    private static final class SubRec {
        String conn;
        String filter;
        String match;
        boolean shared;
        boolean noLocal;
        int retainHandling;
        int requested;
        Integer granted;
        int packetId;
        long sentAt;
        long ackedAt = -1;
    }

    private static final class Conn {
        String name;
        String clientId;
        Session session;
        long connectedAt;
        boolean autoAck;
        long maxPacket;
        long endedByUsAt = -1;
    }

    private static final class Msg {
        int n;
        String conn;
        String clientId;
        String topic;
        int qos;
        boolean retain;
        boolean empty;
        int size;
        /** Bytes of the PUBLISH as the publisher sent it: a forwarded copy is about as large. */
        int packetSize;
        long sentAt;
        long ackedAt = -1;
        int ackRc = -1;
        boolean dupResend;
        boolean holdPubrel;
        boolean will;
        int willDelay;
        long triggeredAt = -1;
    }

    private record SubChange(String conn, String filter, long at) {
    }

    /** An UNSUBSCRIBE the broker acknowledged: from then on no new message is added for the filter. */
    private record Unsub(String conn, String filter, long sentAt, long ackedAt) {
    }

    private final List<Unsub> unsubs = new ArrayList<>();

    /** A delivery the spec requires: message {@code n} on connection {@code conn}. */
    public record Required(String conn, int n, String why, String statement, String kind, List<String> related) {
    }

    private record Delivery(String conn, String topic, int qos, boolean dup, boolean retain, Msg msg, long at) {
    }

    // ---------------------------------------------------------------- facts

    public String payloadToken(int n) {
        return token + n;
    }

    /** A connection was accepted (CONNACK 0x00). */
    public void connected(String conn, String clientId, boolean sessionPresent, boolean autoAck, long maxPacket, long t) {
        Conn c = new Conn();
        c.name = conn;
        c.clientId = clientId;
        c.connectedAt = t;
        c.autoAck = autoAck;
        c.maxPacket = maxPacket;
        Session s = current.get(clientId);
        if (s == null || !sessionPresent) {
            s = new Session(clientId);
            current.put(clientId, s);
            history.computeIfAbsent(clientId, k -> new ArrayList<>()).add(s);
        }
        s.conns.add(conn);
        c.session = s;
        conns.put(conn, c);
    }

    public void endedByUs(String conn, long t) {
        Conn c = conns.get(conn);
        if (c != null && c.endedByUsAt < 0) {
            c.endedByUsAt = t;
        }
    }

    /** One Topic Filter of a SUBSCRIBE sent; {@code filter} as written (with any $share prefix). */
    public void subscribeSent(String conn, int packetId, String filter, int qos, boolean noLocal, int retainHandling, long t) {
        Conn c = conns.get(conn);
        if (c == null) {
            return;
        }
        SubRec r = new SubRec();
        r.conn = conn;
        r.filter = filter;
        TopicFilter tf = TopicFilter.unchecked(filter);
        r.shared = v.isV5() && tf.isShared();
        r.match = v.isV5() ? tf.matchFilter() : filter;
        r.noLocal = noLocal;
        r.retainHandling = retainHandling;
        r.requested = qos;
        r.packetId = packetId;
        r.sentAt = t;
        c.session.subs.add(r);
        changes.add(new SubChange(conn, filter, t));
    }

    public void subackReceived(String conn, int packetId, List<Integer> codes, long t) {
        Conn c = conns.get(conn);
        if (c == null) {
            return;
        }
        int i = 0;
        for (SubRec r : c.session.subs) {
            if (r.conn.equals(conn) && r.packetId == packetId && r.granted == null && r.ackedAt < 0) {
                if (i < codes.size()) {
                    r.granted = codes.get(i);
                    r.ackedAt = t;
                }
                i++;
            }
        }
    }

    public void unsubscribeSent(String conn, List<String> filters, long t) {
        for (String f : filters) {
            changes.add(new SubChange(conn, f, t));
        }
    }

    /** UNSUBACK for an UNSUBSCRIBE of {@code filters} sent at {@code sentAt}. */
    public void unsubackReceived(String conn, List<String> filters, long sentAt, long t) {
        for (String f : filters) {
            unsubs.add(new Unsub(conn, f, sentAt, t));
        }
    }

    /** A PUBLISH was sent; returns the message number its payload carries. */
    public int publishSent(String conn, String clientId, String topic, QoS qos, boolean retain, int size, int packetSize,
                           boolean dupResend, boolean holdPubrel, long t) {
        Msg m = new Msg();
        m.n = msgs.size();
        m.conn = conn;
        m.clientId = clientId;
        m.topic = topic;
        m.qos = qos.value();
        m.retain = retain;
        m.size = size;
        m.packetSize = packetSize;
        m.empty = size == 0;
        m.sentAt = t;
        m.dupResend = dupResend;
        m.holdPubrel = holdPubrel;
        msgs.add(m);
        if (retain && (qos == QoS.AT_MOST_ONCE || holdPubrel)) {
            uncertainRetained.add(topic); // a QoS 0 or unreleased retained message may or may not be stored
        }
        return m.n;
    }

    /** The next message number, for a payload built before the PUBLISH is reported. */
    public int nextMessage() {
        return msgs.size();
    }

    /** PUBACK (QoS 1) or PUBREC (QoS 2) for message {@code n}. */
    public void publishAcked(int n, int reasonCode, long t) {
        Msg m = msgs.get(n);
        if (m.ackedAt < 0) {
            m.ackedAt = t;
            m.ackRc = reasonCode;
        }
        if (m.retain && reasonCode >= 0x80) {
            uncertainRetained.add(m.topic);
        }
    }

    /** A will was set with an accepted CONNECT; returns its message number. */
    public int willArmed(String conn, String clientId, String topic, QoS qos, boolean retain, int size, int delay) {
        Msg m = new Msg();
        m.n = msgs.size();
        m.conn = conn;
        m.clientId = clientId;
        m.topic = topic;
        m.qos = qos.value();
        m.retain = retain;
        m.size = size;
        m.packetSize = size + topic.getBytes(StandardCharsets.UTF_8).length + 32;
        m.empty = size == 0;
        m.will = true;
        m.willDelay = delay;
        m.sentAt = Long.MAX_VALUE;
        msgs.add(m);
        if (retain) {
            uncertainRetained.add(topic); // published when the broker notices the close: no fixed point in time
        }
        return m.n;
    }

    /** The harness dropped the will's connection (or sent DISCONNECT 0x04): the will is due. */
    public void willTriggered(int n, long t) {
        Msg m = msgs.get(n);
        if (m.triggeredAt < 0) {
            m.triggeredAt = t;
        }
    }

    // ---------------------------------------------------------------- required deliveries

    /** Deliveries the spec requires, judged on the trace so far (call before closing connections). */
    public List<Required> required(Trace trace) {
        Map<String, Long> peerClosed = peerCloses(trace);
        List<Required> out = new ArrayList<>();
        for (Conn c : conns.values()) {
            if (!c.autoAck || c.endedByUsAt >= 0 || peerClosed.containsKey(c.name)) {
                continue;
            }
            for (Msg m : msgs) {
                if (m.empty || m.qos == 0) {
                    continue;
                }
                long at;
                String why;
                String statement;
                String kind;
                if (m.will) {
                    Long willClosed = peerClosed.get(m.conn);
                    if (m.triggeredAt < 0 || m.willDelay > 0 || (willClosed != null && willClosed < m.triggeredAt)) {
                        continue;
                    }
                    at = m.triggeredAt;
                    why = "the will of " + m.conn + " (dropped by the harness)";
                    statement = "MQTT-3.1.2-8";
                    kind = "will message not published after the connection was dropped";
                } else {
                    if (m.ackedAt < 0 || m.ackRc >= 0x80 || (m.qos == 2 && m.holdPubrel)) {
                        continue;
                    }
                    at = m.sentAt;
                    why = "message " + m.n + " published by " + m.conn + " and acknowledged";
                    statement = "MQTT-4.5.0-1";
                    kind = "QoS 1/2 message not delivered to a connected matching subscriber";
                }
                if (c.connectedAt > at || tooLarge(c, m)) {
                    continue;
                }
                SubRec r = stableMatch(c, m, at);
                if (r != null) {
                    boolean resubscribed = resubscribed(c.session, r);
                    out.add(new Required(c.name, m.n, why + ", matching " + c.name + "'s subscription '" + r.filter
                            + "' (granted QoS " + r.granted + (resubscribed ? ", a re-subscription that replaced an earlier one" : "")
                            + ")", statement, kind,
                            resubscribed ? List.of("MQTT-3.8.4-3", "MQTT-3.3.4-1") : List.of("MQTT-3.3.4-1")));
                }
            }
            retainedOnSubscribe(c, out);
        }
        return out;
    }

    private boolean tooLarge(Conn c, Msg m) {
        // the forwarded copy may also carry Subscription Identifiers and an expiry: allow some slack
        return c.maxPacket > 0 && (long) m.packetSize + 32 > c.maxPacket;
    }

    /** A subscription of c's session, acknowledged with QoS 1/2 before {@code at}, matching, not changed since. */
    private SubRec stableMatch(Conn c, Msg m, long at) {
        List<SubRec> subs = c.session.subs;
        for (int i = 0; i < subs.size(); i++) {
            SubRec r = subs.get(i);
            if (supersededLater(subs, i) || r.shared || r.ackedAt < 0 || r.ackedAt > at || r.granted == null || r.granted < 1 || r.granted > 2) {
                continue;
            }
            if (!TopicFilter.matches(r.match, m.topic)) {
                continue;
            }
            if (r.noLocal && m.clientId.equals(c.clientId)) {
                continue;
            }
            if (changedAfter(c.session, r.filter, r.ackedAt)) {
                continue;
            }
            return r;
        }
        return null;
    }

    /** True if an earlier subscription of the session had the same filter: r replaced it (MQTT-3.8.4-3). */
    private static boolean resubscribed(Session s, SubRec r) {
        for (SubRec o : s.subs) {
            if (o == r) {
                return false;
            }
            if (o.filter.equals(r.filter)) {
                return true;
            }
        }
        return false;
    }

    /** A later SUBSCRIBE (or a later filter of the same one) with the same filter replaces the subscription. */
    private static boolean supersededLater(List<SubRec> subs, int i) {
        for (int j = i + 1; j < subs.size(); j++) {
            if (subs.get(j).filter.equals(subs.get(i).filter)) {
                return true;
            }
        }
        return false;
    }

    private boolean changedAfter(Session s, String filter, long t) {
        for (SubChange ch : changes) {
            if (ch.at > t && ch.filter.equals(filter) && s.conns.contains(ch.conn)) {
                return true;
            }
        }
        return false;
    }

    private void retainedOnSubscribe(Conn c, List<Required> out) {
        List<SubRec> subs = c.session.subs;
        for (int i = 0; i < subs.size(); i++) {
            SubRec r = subs.get(i);
            if (supersededLater(subs, i) || !r.conn.equals(c.name) || r.shared || r.ackedAt < 0 || r.granted == null || r.granted < 1
                    || r.granted > 2 || r.retainHandling != 0) {
                continue;
            }
            Map<String, Msg> last = new LinkedHashMap<>();
            Set<String> unsure = new HashSet<>();
            for (Msg m : msgs) {
                if (m.will || !m.retain || !TopicFilter.matches(r.match, m.topic) || m.sentAt > r.sentAt) {
                    continue;
                }
                if (m.ackedAt < 0 || m.ackedAt > r.sentAt || m.ackRc >= 0x80 || uncertainRetained.contains(m.topic)) {
                    unsure.add(m.topic);
                }
                last.put(m.topic, m);
            }
            for (Map.Entry<String, Msg> e : last.entrySet()) {
                Msg m = e.getValue();
                if (unsure.contains(e.getKey()) || uncertainRetained.contains(e.getKey()) || m.empty || m.qos == 0
                        || tooLarge(c, m) || (m.clientId.equals(c.clientId) && r.noLocal)) {
                    continue;
                }
                out.add(new Required(c.name, m.n, "retained message " + m.n + " on '" + m.topic + "' for the new subscription '"
                        + r.filter + "' (granted QoS " + r.granted + ")", v.isV5() ? "MQTT-3.3.1-9" : "MQTT-3.3.1-6",
                        "retained message not sent for a new subscription", List.of()));
            }
        }
    }

    // ---------------------------------------------------------------- judging

    /** Findings from every delivery in the trace, and from required deliveries that never came. */
    public List<Finding> judge(Trace trace, List<Required> required, long waitedMillis) {
        List<Finding> out = new ArrayList<>();
        List<Delivery> deliveries = deliveries(trace);
        Map<String, List<Delivery>> byConn = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            byConn.computeIfAbsent(d.conn, k -> new ArrayList<>()).add(d);
            allowed(d, out);
        }
        duplicates(deliveries, out);
        order(byConn, out);
        Set<String> seen = new HashSet<>();
        for (Delivery d : deliveries) {
            if (d.msg != null) {
                seen.add(d.conn + "#" + d.msg.n);
            }
        }
        for (Required r : required) {
            if (!seen.contains(r.conn + "#" + r.n)) {
                out.add(Finding.fail(v, r.statement(), r.kind(), "delivered to " + r.conn,
                        r.why() + "; it did not arrive within " + waitedMillis + " ms while " + r.conn
                                + " stayed connected and acknowledged everything", r.related()));
            }
        }
        return out;
    }

    /** True if the required delivery already arrived. */
    public boolean arrived(Trace trace, Required r) {
        for (Delivery d : deliveries(trace)) {
            if (d.conn.equals(r.conn) && d.msg != null && d.msg.n == r.n) {
                return true;
            }
        }
        return false;
    }

    private void allowed(Delivery d, List<Finding> out) {
        Conn c = conns.get(d.conn);
        if (c == null) {
            return;
        }
        List<SubRec> matching = matching(c.session, d.topic);
        if (matching.isEmpty()) {
            boolean discarded = false;
            for (Session s : history.getOrDefault(c.clientId, List.of())) {
                if (s != c.session && !matching(s, d.topic).isEmpty()) {
                    discarded = true;
                }
            }
            if (discarded) {
                out.add(Finding.fail(v, v.isV5() ? "MQTT-3.1.2-4" : "MQTT-3.1.2-6",
                        "delivery on a subscription of a discarded session",
                        "no message for subscriptions of a session the broker discarded (Session Present 0)",
                        d.conn + " received '" + d.topic + "'" + describe(d) + ", which matches only a subscription of "
                                + c.clientId + "'s earlier session", List.of("MQTT-3.3.2-3")));
            } else {
                out.add(Finding.fail(v, "MQTT-3.3.2-3", "delivery without a matching subscription",
                        "only topics matching one of the session's subscriptions " + filters(c.session),
                        d.conn + " received '" + d.topic + "'" + describe(d), List.of()));
            }
            return;
        }
        if (d.msg != null && !d.msg.will && !d.retain) {
            boolean active = false;
            for (SubRec r : matching) {
                active |= activeAt(c.session, r, d.msg.sentAt);
            }
            if (!active) {
                out.add(Finding.fail(v, "MQTT-3.10.4-2", "message published after UNSUBACK delivered on the removed subscription",
                        "no new message for a subscription the broker confirmed removed (UNSUBACK) before it was published",
                        d.conn + " received '" + d.topic + "'" + describe(d) + ", published after the UNSUBACK for "
                                + filters(matching), List.of("MQTT-3.10.4-4")));
                return;
            }
        }
        int max = 0;
        boolean allNoLocal = true;
        for (SubRec r : matching) {
            max = Math.max(max, r.granted != null ? r.granted : r.requested);
            allNoLocal &= r.noLocal && !r.shared;
        }
        String qosId = v.isV5() ? "MQTT-3.8.4-8" : "MQTT-3.8.4-6";
        if (d.qos > max) {
            out.add(Finding.fail(v, qosId, "delivered at a QoS above the granted QoS",
                    "QoS at most " + max + " (granted for " + filters(matching) + ")",
                    d.conn + " received '" + d.topic + "' at QoS " + d.qos + describe(d), List.of()));
        }
        if (d.msg != null && d.qos > d.msg.qos) {
            out.add(Finding.fail(v, qosId, "delivered at a QoS above the published QoS",
                    "QoS at most " + d.msg.qos + " (as published)",
                    d.conn + " received '" + d.topic + "' at QoS " + d.qos + describe(d), List.of()));
        }
        if (v.isV5() && d.msg != null && !d.retain && allNoLocal && d.msg.clientId.equals(c.clientId)) {
            // a retained message sent for a new subscription is governed by Retain Handling; No Local is
            // read here as applying to forwarded publications only
            out.add(Finding.fail(v, "MQTT-3.8.3-3", "No Local subscription received the client's own message",
                    "no message published by the same Client Identifier",
                    d.conn + " received its own message" + describe(d) + " through " + filters(matching), List.of()));
        }
    }

    private void duplicates(List<Delivery> deliveries, List<Finding> out) {
        Map<String, Integer> count = new HashMap<>();
        for (Delivery d : deliveries) {
            if (d.msg == null || d.qos != 2 || d.dup || d.retain) {
                continue;
            }
            Conn c = conns.get(d.conn);
            if (c == null || distinctMatching(c.session, d.topic) != 1) {
                continue;
            }
            String k = System.identityHashCode(c.session) + "#" + d.msg.n;
            int n = count.merge(k, 1, Integer::sum);
            if (n == 2) {
                boolean resent = d.msg.dupResend;
                String id = resent ? (v.isV5() ? "MQTT-4.3.3-10" : "MQTT-4.3.3-2") : "§4.3.3";
                out.add(Finding.fail(v, id, resent ? "QoS 2 message delivered twice after the publisher's DUP resend"
                                : "QoS 2 message delivered twice",
                        "exactly one delivery as new (DUP 0) of each QoS 2 message to a session with one matching subscription",
                        d.conn + " received message " + d.msg.n + " on '" + d.topic + "' twice at QoS 2 with DUP 0"
                                + (resent ? " after its publisher re-sent the PUBLISH with DUP 1 before PUBREL" : ""),
                        List.of()));
            }
        }
    }

    private void order(Map<String, List<Delivery>> byConn, List<Finding> out) {
        for (Map.Entry<String, List<Delivery>> e : byConn.entrySet()) {
            Conn c = conns.get(e.getKey());
            if (c == null) {
                continue;
            }
            Map<String, Delivery> lastOf = new HashMap<>();
            for (Delivery d : e.getValue()) {
                if (d.msg == null || d.msg.will || d.dup || d.retain || d.qos == 0
                        || distinctMatching(c.session, d.topic) != 1) {
                    continue;
                }
                String k = d.msg.clientId + "|" + d.msg.topic + "|" + d.msg.qos + "|" + d.qos;
                Delivery prev = lastOf.get(k);
                if (prev != null && prev.msg.n > d.msg.n) {
                    out.add(Finding.fail(v, v.isV5() ? "MQTT-4.6.0-5" : "MQTT-4.6.0-6",
                            "messages of one publisher on one topic delivered out of order",
                            "the order in which " + d.msg.clientId + " published them (QoS " + d.msg.qos + ")",
                            e.getKey() + " received message " + prev.msg.n + " before message " + d.msg.n + " on '" + d.topic + "'",
                            List.of(v.isV5() ? "MQTT-4.6.0-6" : "MQTT-4.6.0-5")));
                }
                if (prev == null || prev.msg.n < d.msg.n) {
                    lastOf.put(k, d);
                }
            }
        }
    }

    /** False if an UNSUBSCRIBE of r's filter by r's session was acknowledged after r was sent and before {@code t}. */
    private boolean activeAt(Session s, SubRec r, long t) {
        for (Unsub u : unsubs) {
            if (u.filter.equals(r.filter) && s.conns.contains(u.conn) && u.sentAt > r.sentAt && u.ackedAt < t) {
                return false;
            }
        }
        return true;
    }

    private List<SubRec> matching(Session s, String topic) {
        List<SubRec> out = new ArrayList<>(2);
        for (SubRec r : s.subs) {
            if ((r.granted == null || r.granted < 0x80) && TopicFilter.matches(r.match, topic)) {
                out.add(r);
            }
        }
        return out;
    }

    private int distinctMatching(Session s, String topic) {
        Set<String> f = new HashSet<>();
        for (SubRec r : s.subs) {
            if (TopicFilter.matches(r.match, topic)) {
                if (r.shared) {
                    return 99;
                }
                f.add(r.filter);
            }
        }
        return f.size();
    }

    private static String filters(Session s) {
        return filters(s.subs);
    }

    private static String filters(List<SubRec> subs) {
        Set<String> f = new java.util.LinkedHashSet<>();
        for (SubRec r : subs) {
            f.add("'" + r.filter + "'");
        }
        return f.toString();
    }

    private static String describe(Delivery d) {
        return d.msg == null ? "" : " (message " + d.msg.n + (d.msg.will ? ", a will" : "") + " published by "
                + d.msg.conn + " at QoS " + d.msg.qos + ")";
    }

    private static Map<String, Long> peerCloses(Trace trace) {
        Map<String, Long> out = new HashMap<>();
        for (TraceEvent e : trace.events()) {
            if (e.kind() == TraceEvent.Kind.CLOSED_BY_PEER || e.kind() == TraceEvent.Kind.MALFORMED) {
                out.putIfAbsent(e.connection(), e.atNanos());
            }
        }
        return out;
    }

    private List<Delivery> cached;
    private int cachedEvents = -1;

    private List<Delivery> deliveries(Trace trace) {
        List<TraceEvent> events = trace.events();
        if (cached != null && cachedEvents == events.size()) {
            return cached;
        }
        cached = parse(events);
        cachedEvents = events.size();
        return cached;
    }

    private List<Delivery> parse(List<TraceEvent> events) {
        List<Delivery> out = new ArrayList<>();
        Map<String, Map<Long, String>> aliases = new HashMap<>();
        for (TraceEvent e : events) {
            if (e.kind() != TraceEvent.Kind.RECEIVED || !(e.packet() instanceof Publish)) {
                continue;
            }
            Publish p = (Publish) e.packet();
            String topic = p.topic().toString();
            if (v.isV5() && p.properties().has(PropertyId.TOPIC_ALIAS)) {
                long alias = p.properties().number(PropertyId.TOPIC_ALIAS, 0);
                Map<Long, String> m = aliases.computeIfAbsent(e.connection(), k -> new HashMap<>());
                if (topic.isEmpty()) {
                    topic = m.getOrDefault(alias, "");
                } else {
                    m.put(alias, topic);
                }
            }
            if (topic.isEmpty()) {
                continue;
            }
            out.add(new Delivery(e.connection(), topic, p.qos().value(), p.dup(), p.retain(), identify(p), e.atNanos()));
        }
        return out;
    }

    private Msg identify(Publish p) {
        if (p.payload().length() <= token.length()) {
            return null;
        }
        String s = p.payload().toUtf8();
        if (!s.startsWith(token)) {
            return null;
        }
        int end = token.length();
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == token.length()) {
            return null;
        }
        int n = Integer.parseInt(s.substring(token.length(), end));
        return n < msgs.size() ? msgs.get(n) : null;
    }
}
