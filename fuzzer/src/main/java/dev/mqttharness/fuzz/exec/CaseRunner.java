package dev.mqttharness.fuzz.exec;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.fuzz.engine.Stats;
import dev.mqttharness.fuzz.gen.Action;
import dev.mqttharness.fuzz.gen.FuzzCase;
import dev.mqttharness.fuzz.gen.Mutation;
import dev.mqttharness.fuzz.gen.Obligation;
import dev.mqttharness.fuzz.oracle.DeliveryModel;
import dev.mqttharness.fuzz.oracle.Finding;
import dev.mqttharness.fuzz.oracle.MalformedOracle;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.InvalidPacketException;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.check.CheckResult;
import dev.mqttharness.spec.check.TraceChecks;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Runs one {@link FuzzCase} against a broker with {@link ProbeClient}s and judges it: the universal
 * {@link TraceChecks} over the trace, the {@link MalformedOracle} after each labelled mutation, the
 * {@link DeliveryModel} over the deliveries, and the answers every valid packet must get.
 *
 * <p>Steps run one after another and each waits for its answer (SUBACK, PUBACK, PUBREC/PUBCOMP,
 * UNSUBACK), so the order of the broker's inputs is the order of the steps. Every wait is bounded
 * and returns as soon as the awaited packet (or a close) arrives: a conforming broker costs no
 * waiting at all.
 */
public final class CaseRunner {
    /** Valid packets below this size must be answered, not closed on. */
    static final int SMALL_PACKET = 20_000;

    /**
     * @param responseTimeout bound on each awaited answer
     * @param deliveryTimeout bound on waiting, at the end, for every delivery the model requires
     */
    public record Settings(Duration responseTimeout, Duration deliveryTimeout) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(2));
        }
    }

    private final Endpoint endpoint;
    private final Settings settings;
    private final Stats stats;

    public CaseRunner(Endpoint endpoint, Settings settings, Stats stats) {
        this.endpoint = endpoint;
        this.settings = settings;
        this.stats = stats;
    }

    public CaseOutcome run(FuzzCase fc, Namespace ns) {
        Execution x = new Execution(fc, ns);
        try {
            for (Action a : fc.actions()) {
                x.step(a);
            }
            x.finish();
        } catch (RuntimeException e) {
            x.errors.add("harness error: " + e + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?"));
            x.closeAll();
        }
        return new CaseOutcome(fc, ns, x.trace, List.copyOf(x.findings), List.copyOf(x.steps), x.exercised,
                List.copyOf(x.errors));
    }

    /** What the broker announced in CONNACK (5.0), or the 3.1.1 defaults. */
    private static final class Limits {
        int receiveMaximum = 65_535;
        int maximumQos = 2;
        boolean retain = true;
        int topicAliasMaximum;
        long maximumPacketSize = MqttDecoder.PROTOCOL_MAX_PACKET_SIZE;
        boolean wildcard = true;
        boolean subscriptionIds = true;
        boolean shared = true;

        static Limits of(Connack c) {
            Limits l = new Limits();
            Properties p = c.properties();
            l.receiveMaximum = (int) p.number(PropertyId.RECEIVE_MAXIMUM, 65_535);
            l.maximumQos = (int) p.number(PropertyId.MAXIMUM_QOS, 2);
            l.retain = p.number(PropertyId.RETAIN_AVAILABLE, 1) == 1;
            l.topicAliasMaximum = (int) p.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 0);
            l.maximumPacketSize = p.number(PropertyId.MAXIMUM_PACKET_SIZE, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            l.wildcard = p.number(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1) == 1;
            l.subscriptionIds = p.number(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 1;
            l.shared = p.number(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1) == 1;
            return l;
        }
    }

    /** One network connection of one client. */
    private static final class Conn {
        final int slot;
        final String name;
        final ProbeClient probe;
        final Action.Connect params;
        String clientId;
        boolean accepted;
        boolean dead;
        Limits limits = new Limits();
        int nextId;
        int willMessage = -1;
        long connectExpiry;
        final List<Integer> heldPubrels = new ArrayList<>();
        final Map<String, Integer> aliases = new HashMap<>();

        Conn(int slot, String name, ProbeClient probe, Action.Connect params) {
            this.slot = slot;
            this.name = name;
            this.probe = probe;
            this.params = params;
        }

        boolean alive() {
            return !dead && accepted && !probe.isClosed();
        }

        int nextPacketId() {
            do {
                nextId = nextId % 65_534 + 1;
            } while (heldPubrels.contains(nextId));
            return nextId;
        }
    }

    private final class Execution {
        final FuzzCase fc;
        final MqttVersion v;
        final Namespace ns;
        final Trace trace = new Trace(5_000);
        final long base;
        final Conn[] slots = new Conn[3];
        final int[] connections = new int[3];
        final List<Conn> all = new ArrayList<>();
        final List<Finding> findings = new ArrayList<>();
        final Set<String> exercised = new TreeSet<>();
        final List<String> steps = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final DeliveryModel model;
        final Set<String> persistent = new LinkedHashSet<>();
        final Set<Finding.Key> seen = new HashSet<>();
        /** When each connection first carried deliberately malformed bytes: the trace checks stop there. */
        final Map<String, Long> rawSince = new HashMap<>();
        /** Connections whose replies cannot be decoded with certainty (an unknown protocol level). */
        final Set<String> ambiguous = new HashSet<>();
        /** The broker went on after one of our invalid packets: what it forwards may carry our invalid data. */
        boolean acceptedInvalid;

        Execution(FuzzCase fc, Namespace ns) {
            this.fc = fc;
            this.v = fc.version();
            this.ns = ns;
            this.model = new DeliveryModel(v, ns.token());
            TraceEvent start = trace.add("case", TraceEvent.Kind.NOTE, null, null,
                    "MQTT " + v.label() + " case under " + ns.topicPrefix());
            this.base = System.nanoTime() - start.atNanos();
        }

        long now() {
            return System.nanoTime() - base;
        }

        void finding(Finding f) {
            if (seen.add(f.key())) {
                findings.add(f);
            }
        }

        void exercised(String id) {
            exercised.add(v.label() + " " + id);
        }

        String maxTopic;

        String topic(String relative) {
            if (Action.MAX_TOPIC.equals(relative)) {
                if (maxTopic == null) {
                    String head = ns.topicPrefix() + "max/";
                    maxTopic = head + "x".repeat(65_535 - head.length());
                }
                return maxTopic;
            }
            return ns.topicPrefix() + relative;
        }

        BinaryData payload(int n, int size) {
            if (size == 0) {
                return BinaryData.EMPTY;
            }
            byte[] t = (model.payloadToken(n) + "|").getBytes(StandardCharsets.US_ASCII);
            byte[] b = Arrays.copyOf(t, Math.max(size, t.length));
            Arrays.fill(b, t.length, b.length, (byte) '.');
            return BinaryData.wrap(b);
        }

        // ------------------------------------------------------------ steps

        void step(Action a) {
            if (a instanceof Action.Connect c) {
                steps.add(a.describe());
                connect(c);
            } else if (a instanceof Action.Subscribe s) {
                Conn c = ensure(s.client());
                steps.add(a.describe());
                if (c != null) {
                    subscribe(c, s);
                }
            } else if (a instanceof Action.Unsubscribe u) {
                Conn c = ensure(u.client());
                steps.add(a.describe());
                if (c != null) {
                    unsubscribe(c, u);
                }
            } else if (a instanceof Action.Publish p) {
                Conn c = ensure(p.client());
                steps.add(a.describe());
                if (c != null) {
                    publish(c, p);
                }
            } else if (a instanceof Action.Ack k) {
                steps.add(a.describe());
                ack(slots[k.client()]);
            } else if (a instanceof Action.Disconnect d) {
                steps.add(a.describe());
                disconnect(slots[d.client()], d);
            } else if (a instanceof Action.Wait w) {
                steps.add(a.describe());
                waitFor(w.millis());
            } else if (a instanceof Action.BoundaryPacket b) {
                Conn c = ensure(b.client());
                steps.add(a.describe());
                if (c != null) {
                    boundary(c, b);
                }
            } else if (a instanceof Action.Malformed m) {
                malformed(m);
            }
        }

        Conn ensure(int k) {
            Conn c = slots[k];
            if (c != null && c.alive()) {
                return c;
            }
            Action.Connect plain = Action.Connect.plain(k);
            steps.add(plain.describe() + "   (implicit)");
            return connect(plain);
        }

        ProbeClient open(String name, boolean autoAck) {
            return open(name, autoAck, v);
        }

        ProbeClient open(String name, boolean autoAck, MqttVersion version) {
            try {
                return ProbeClient.open(endpoint, version, name, trace,
                        ProbeClient.Options.DEFAULT.withTimeout(settings.responseTimeout()).withAutoAck(autoAck));
            } catch (IOException e) {
                errors.add(name + ": cannot connect to " + endpoint + ": " + e.getMessage());
                return null;
            }
        }

        String nextName(int k) {
            connections[k]++;
            return "c" + k + (connections[k] == 1 ? "" : "." + connections[k]);
        }

        boolean send(Conn c, Packet p) {
            if (stats != null) {
                stats.packet(p.type().name());
            }
            try {
                c.probe.send(p);
                return true;
            } catch (InvalidPacketException e) {
                errors.add("harness built an invalid " + p.type() + ": " + e.getMessage());
                return false;
            } catch (IOException e) {
                return false; // the close shows up as an event
            }
        }

        void sendRaw(ProbeClient probe, byte[] bytes, String what) {
            if (stats != null) {
                PacketType t = PacketType.fromCode((bytes[0] & 0xFF) >> 4);
                stats.packet(t == null ? "RESERVED_0" : t.name());
            }
            try {
                probe.sendRaw(bytes, what);
            } catch (IOException e) {
                // closed already: the close shows up as an event
            }
        }

        <T extends Packet> Optional<T> await(Conn c, Class<T> type, Predicate<T> match) {
            return c.probe.awaitPacket(p -> type.isInstance(p) && match.test(type.cast(p)), settings.responseTimeout())
                    .map(type::cast);
        }

        // ------------------------------------------------------------ CONNECT

        Conn connect(Action.Connect a) {
            int k = a.client();
            String name = nextName(k);
            ProbeClient probe = open(name, !a.withholdAcks());
            if (probe == null) {
                return null;
            }
            Conn c = new Conn(k, name, probe, a);
            all.add(c);
            c.clientId = a.emptyClientId() ? "" : ns.clientId(k);
            Connect.Builder b = Connect.builder(v).clientId(c.clientId).cleanStart(a.cleanStart()).keepAlive(a.keepAlive());
            Properties.Builder props = Properties.builder();
            if (v.isV5()) {
                if (a.sessionExpiry() > 0) {
                    props.number(PropertyId.SESSION_EXPIRY_INTERVAL, a.sessionExpiry());
                }
                if (a.receiveMaximum() > 0) {
                    props.number(PropertyId.RECEIVE_MAXIMUM, a.receiveMaximum());
                }
                if (a.topicAliasMaximum() > 0) {
                    props.number(PropertyId.TOPIC_ALIAS_MAXIMUM, a.topicAliasMaximum());
                }
                if (a.maximumPacketSize() > 0) {
                    props.number(PropertyId.MAXIMUM_PACKET_SIZE, a.maximumPacketSize());
                }
                if (a.problemInfoOff()) {
                    props.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 0);
                }
                if (a.responseInfo()) {
                    props.number(PropertyId.REQUEST_RESPONSE_INFORMATION, 1);
                }
            }
            b.properties(props.build());
            c.connectExpiry = a.sessionExpiry();
            Action.WillSpec w = a.will();
            int willN = -1;
            if (w != null) {
                willN = model.nextMessage();
                Properties wp = v.isV5() && w.delaySeconds() > 0
                        ? Properties.of(Property.number(PropertyId.WILL_DELAY_INTERVAL, w.delaySeconds()))
                        : Properties.EMPTY;
                b.will(new Will(TopicName.of(topic(w.topic())), payload(willN, w.payloadSize()), w.qos(), w.retain(), wp));
            }
            if (a.credentials()) {
                b.username("user").password("pass");
            }
            Connect connect = b.build();
            if (!send(c, connect)) {
                c.dead = true;
                return null;
            }
            Optional<Connack> ack = await(c, Connack.class, x -> true);
            if (ack.isEmpty()) {
                c.dead = true;
                if (!probe.isClosed()) {
                    errors.add(name + ": no CONNACK within " + settings.responseTimeout().toMillis() + " ms");
                }
                probe.close();
                return null;
            }
            Connack ca = ack.get();
            if (ca.reasonCode() != 0) {
                c.dead = true;
                refused(c, ca);
                probe.close();
                return null;
            }
            c.accepted = true;
            c.limits = v.isV5() ? Limits.of(ca) : new Limits();
            if (a.emptyClientId()) {
                String assigned = v.isV5() && ca.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER) != null
                        ? ca.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).toString() : null;
                if (v.isV5()) {
                    exercised("MQTT-3.2.2-16");
                    if (assigned == null) {
                        finding(Finding.fail(v, "MQTT-3.2.2-16", "no Assigned Client Identifier for an empty Client Identifier",
                                "CONNACK with an Assigned Client Identifier", name + " received " + ca, List.of("MQTT-3.1.3-7")));
                    }
                }
                c.clientId = assigned != null ? assigned : "anonymous:" + name;
            }
            long t = now();
            model.connected(name, c.clientId, ca.sessionPresent(), !a.withholdAcks(), a.maximumPacketSize(), t);
            if (w != null) {
                c.willMessage = model.willArmed(name, c.clientId, topic(w.topic()), w.qos(), w.retain(), w.payloadSize(),
                        v.isV5() ? w.delaySeconds() : 0);
                if (c.willMessage != willN) {
                    errors.add("will message numbering out of step");
                }
            }
            if (!a.emptyClientId() && (v.isV5() ? a.sessionExpiry() > 0 : !a.cleanStart())) {
                persistent.add(c.clientId);
            }
            for (Conn old : all) {
                if (old != c && old.alive() && old.clientId.equals(c.clientId)) {
                    takeover(old, c);
                }
            }
            slots[k] = c;
            return c;
        }

        void refused(Conn c, Connack ca) {
            boolean idRejected = v.isV5() ? ca.reasonCode() == 0x85 : ca.reasonCode() == 0x02;
            if (!c.params.emptyClientId()) {
                exercised("MQTT-3.1.3-5");
            }
            if (idRejected && !c.params.emptyClientId()) {
                finding(Finding.fail(v, "MQTT-3.1.3-5", "a 23-character alphanumeric Client Identifier was refused",
                        "the CONNECT accepted: the Server must allow Client Identifiers of 1 to 23 characters [0-9a-zA-Z]",
                        c.name + " with Client Identifier '" + c.clientId + "' received " + ca, List.of()));
            } else {
                errors.add(c.name + ": CONNECT refused with " + String.format("0x%02X", ca.reasonCode()));
            }
        }

        void takeover(Conn old, Conn fresh) {
            exercised(v.isV5() ? "MQTT-3.1.4-3" : "MQTT-3.1.4-2");
            boolean closed = old.probe.awaitClosed(settings.responseTimeout());
            if (!closed) {
                finding(Finding.fail(v, v.isV5() ? "MQTT-3.1.4-3" : "MQTT-3.1.4-2",
                        "existing connection not closed when its Client Identifier connected again",
                        "the Server closes " + old.name + " when " + fresh.name + " connects with the same Client Identifier",
                        old.name + " was still open " + settings.responseTimeout().toMillis() + " ms after " + fresh.name
                                + " was accepted", List.of()));
            }
            old.dead = true;
        }

        // ------------------------------------------------------------ SUBSCRIBE / UNSUBSCRIBE

        void subscribe(Conn c, Action.Subscribe a) {
            List<TopicSubscription> subs = new ArrayList<>();
            for (Action.Sub s : a.subs()) {
                boolean shared = v.isV5() && s.shareName() != null;
                String filter = (shared ? "$share/" + s.shareName() + "/" : "") + topic(s.filter());
                if ((shared && !c.limits.shared) || (!c.limits.wildcard && (s.filter().contains("+") || s.filter().contains("#")))) {
                    continue;
                }
                TopicSubscription ts = new TopicSubscription(TopicFilter.of(filter), s.qos(), false, false, 0);
                if (v.isV5()) {
                    ts = ts.withNoLocal(s.noLocal() && !shared).withRetainAsPublished(s.retainAsPublished())
                            .withRetainHandling(s.retainHandling());
                }
                subs.add(ts);
            }
            if (subs.isEmpty()) {
                return;
            }
            Properties props = v.isV5() && a.subscriptionId() > 0 && c.limits.subscriptionIds
                    ? Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, a.subscriptionId()))
                    : Properties.EMPTY;
            doSubscribe(c, c.nextPacketId(), props, subs);
        }

        void doSubscribe(Conn c, int id, Properties props, List<TopicSubscription> subs) {
            Subscribe p = new Subscribe(id, props, subs);
            long t = now();
            for (TopicSubscription ts : subs) {
                model.subscribeSent(c.name, id, ts.filter().toString(), ts.qos().value(), ts.noLocal(), ts.retainHandling(), t);
            }
            if (!send(c, p)) {
                c.dead = true;
                return;
            }
            Optional<Suback> ack = await(c, Suback.class, s -> s.packetId() == id);
            exercised("MQTT-3.8.4-1");
            if (ack.isPresent()) {
                model.subackReceived(c.name, id, ack.get().reasonCodes(), now());
            } else {
                missing(c, "SUBACK", "MQTT-3.8.4-1", "MQTT-3.8.4-1", p);
            }
        }

        void unsubscribe(Conn c, Action.Unsubscribe a) {
            List<TopicFilter> filters = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String f : a.filters()) {
                filters.add(TopicFilter.of(topic(f)));
                names.add(topic(f));
            }
            doUnsubscribe(c, c.nextPacketId(), filters, names);
        }

        void doUnsubscribe(Conn c, int id, List<TopicFilter> filters, List<String> names) {
            Unsubscribe p = new Unsubscribe(id, Properties.EMPTY, filters);
            long sentAt = now();
            model.unsubscribeSent(c.name, names, sentAt);
            if (!send(c, p)) {
                c.dead = true;
                return;
            }
            exercised(v.isV5() ? "MQTT-3.10.4-4" : "MQTT-3.10.4-4");
            if (await(c, Unsuback.class, u -> u.packetId() == id).isEmpty()) {
                missing(c, "UNSUBACK", "MQTT-3.10.4-4", "MQTT-3.10.4-4", p);
            } else {
                model.unsubackReceived(c.name, names, sentAt, now());
            }
        }

        // ------------------------------------------------------------ PUBLISH

        void publish(Conn c, Action.Publish a) {
            String topic = topic(a.topic());
            QoS q = QoS.of(Math.min(a.qos().value(), c.limits.maximumQos));
            boolean retain = a.retain() && c.limits.retain;
            Properties.Builder props = Properties.builder();
            TopicName name = TopicName.of(topic);
            if (v.isV5()) {
                for (int i = 0; i < a.userProperties(); i++) {
                    props.userProperty("k" + i, "v" + i);
                }
                if (a.useAlias() && c.limits.topicAliasMaximum > 0) {
                    Integer alias = c.aliases.get(topic);
                    if (alias != null) {
                        name = TopicName.EMPTY;
                        props.number(PropertyId.TOPIC_ALIAS, alias);
                    } else if (c.aliases.size() < c.limits.topicAliasMaximum) {
                        alias = c.aliases.size() + 1;
                        c.aliases.put(topic, alias);
                        props.number(PropertyId.TOPIC_ALIAS, alias);
                    }
                }
            }
            doPublish(c, topic, name, q, retain, a.payloadSize(), props.build(), 0,
                    q == QoS.EXACTLY_ONCE && a.dupResend(), q == QoS.EXACTLY_ONCE && a.holdPubrel());
        }

        void doPublish(Conn c, String topic, TopicName name, QoS q, boolean retain, int size, Properties props, int forcedId,
                       boolean dup, boolean hold) {
            if (q != QoS.AT_MOST_ONCE && c.heldPubrels.size() >= Math.max(1, c.limits.receiveMaximum - 1)) {
                releaseHeld(c);
            }
            int n = model.nextMessage();
            int id = q == QoS.AT_MOST_ONCE ? 0 : forcedId != 0 ? forcedId : c.nextPacketId();
            Publish p = new Publish(false, q, retain, name, id, props, payload(n, size));
            if (MqttEncoder.size(p, v) > c.limits.maximumPacketSize) {
                return; // larger than the broker accepts (5.0 Maximum Packet Size)
            }
            model.publishSent(c.name, c.clientId, topic, q, retain, size, MqttEncoder.size(p, v), dup, hold, now());
            if (!send(c, p)) {
                c.dead = true;
                return;
            }
            if (dup) {
                send(c, p.withDup(true));
            }
            if (q == QoS.AT_LEAST_ONCE) {
                exercised("MQTT-3.3.4-1");
                Optional<Puback> ack = await(c, Puback.class, x -> x.packetId() == id);
                if (ack.isPresent()) {
                    model.publishAcked(n, ack.get().reasonCode(), now());
                } else {
                    missing(c, "PUBACK", "MQTT-3.3.4-1", "MQTT-3.3.4-1", p);
                }
            } else if (q == QoS.EXACTLY_ONCE) {
                exercised("MQTT-3.3.4-1");
                Optional<Pubrec> rec = await(c, Pubrec.class, x -> x.packetId() == id);
                if (rec.isEmpty()) {
                    missing(c, "PUBREC", "MQTT-3.3.4-1", "MQTT-3.3.4-1", p);
                    return;
                }
                model.publishAcked(n, rec.get().reasonCode(), now());
                if (dup) {
                    exercised(v.isV5() ? "MQTT-4.3.3-10" : "MQTT-4.3.3-2");
                    if (await(c, Pubrec.class, x -> x.packetId() == id).isEmpty()) {
                        missing(c, "PUBREC for the PUBLISH re-sent with DUP 1", "MQTT-4.3.3-2", "MQTT-4.3.3-10", p);
                        return;
                    }
                }
                if (rec.get().reasonCode() < 0x80) {
                    if (hold) {
                        c.heldPubrels.add(id);
                    } else {
                        release(c, id);
                    }
                }
            }
        }

        void release(Conn c, int id) {
            Pubrel rel = new Pubrel(id);
            if (!send(c, rel)) {
                c.dead = true;
                return;
            }
            exercised(v.isV5() ? "MQTT-4.3.3-11" : "MQTT-4.3.3-2");
            if (await(c, Pubcomp.class, x -> x.packetId() == id).isEmpty()) {
                missing(c, "PUBCOMP", "MQTT-4.3.3-2", "MQTT-4.3.3-11", rel);
            }
        }

        void releaseHeld(Conn c) {
            List<Integer> held = new ArrayList<>(c.heldPubrels);
            c.heldPubrels.clear();
            for (int id : held) {
                if (c.alive()) {
                    release(c, id);
                }
            }
        }

        /** A valid packet went unanswered: FAIL if the connection stayed open, or was closed silently on a small packet. */
        void missing(Conn c, String what, String id311, String id5, Packet sent) {
            String id = v.isV5() ? id5 : id311;
            for (ProbeClient.Event e : c.probe.pending()) {
                if (e instanceof ProbeClient.MalformedEvent) {
                    // our decoder stopped at bytes it rejects (the trace checks report them): we cannot see the answer
                    c.dead = true;
                    errors.add(c.name + ": no " + what + " seen after malformed bytes from the broker");
                    return;
                }
            }
            boolean closed = c.probe.isClosed();
            int size = MqttEncoder.size(sent, v);
            c.dead = true;
            if (!closed) {
                finding(Finding.fail(v, id, "no " + what + " for a valid " + sent.type(),
                        "a " + what + " for " + PacketFormat.describe(sent),
                        c.name + ": nothing within " + settings.responseTimeout().toMillis() + " ms; the connection stayed open",
                        List.of()));
                c.probe.close();
                return;
            }
            boolean reasoned = false;
            for (ProbeClient.Event e : c.probe.pending()) {
                if (e instanceof ProbeClient.PacketEvent pe && pe.packet() instanceof Disconnect d && d.reasonCode() >= 0x80) {
                    reasoned = true;
                }
            }
            boolean shortKeepAlive = c.params.keepAlive() > 0 && c.params.keepAlive() <= 5;
            if (size < SMALL_PACKET && !reasoned && !shortKeepAlive) {
                finding(Finding.fail(v, id, "closed the connection instead of answering a valid " + sent.type(),
                        "a " + what + " for " + PacketFormat.describe(sent),
                        c.name + ": the broker closed the connection (" + c.probe.closedEvent().reason() + ") without a "
                                + what + " or a reason code", List.of()));
            } else {
                errors.add(c.name + ": closed after a valid " + sent.type() + " of " + size + " bytes");
            }
        }

        // ------------------------------------------------------------ acknowledgements, DISCONNECT, waiting

        void ack(Conn c) {
            if (c == null || !c.alive() || !c.params.withholdAcks()) {
                return;
            }
            for (Packet p : c.probe.drainPackets()) {
                if (p instanceof Publish pub) {
                    if (pub.qos() == QoS.AT_LEAST_ONCE) {
                        send(c, new Puback(pub.packetId()));
                    } else if (pub.qos() == QoS.EXACTLY_ONCE) {
                        send(c, new Pubrec(pub.packetId()));
                    }
                } else if (p instanceof Pubrel rel) {
                    send(c, new Pubcomp(rel.packetId()));
                }
            }
        }

        void disconnect(Conn c, Action.Disconnect d) {
            if (c == null || !c.alive()) {
                return;
            }
            long t = now();
            if (d.abrupt()) {
                if (c.willMessage >= 0) {
                    model.willTriggered(c.willMessage, t);
                }
                model.endedByUs(c.name, t);
                c.probe.close();
                c.dead = true;
                return;
            }
            int rc = v.isV5() && d.withWill() ? 0x04 : 0;
            Properties props = Properties.EMPTY;
            if (v.isV5() && d.sessionExpiry() >= 0 && (c.connectExpiry > 0 || d.sessionExpiry() == 0)) {
                props = Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, d.sessionExpiry()));
                if (d.sessionExpiry() > 0) {
                    persistent.add(c.clientId);
                }
            }
            if (rc == 0x04 && c.willMessage >= 0) {
                model.willTriggered(c.willMessage, t);
            }
            model.endedByUs(c.name, t);
            send(c, new Disconnect(rc, props));
            c.probe.close();
            c.dead = true;
        }

        void waitFor(int millis) {
            for (Conn c : all) {
                if (c.alive()) {
                    c.probe.awaitEvent(e -> e instanceof ProbeClient.ClosedEvent, Duration.ofMillis(millis));
                    return;
                }
            }
        }

        // ------------------------------------------------------------ boundaries

        void boundary(Conn c, Action.BoundaryPacket b) {
            int value = b.kind().value(b.variant());
            String topic = topic("bnd");
            switch (b.kind()) {
                case REMAINING_LENGTH: {
                    int header = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + (v.isV5() ? 1 : 0);
                    int size = value - header;
                    doPublish(c, topic, TopicName.of(topic), QoS.AT_LEAST_ONCE, false, Math.max(size, 0), Properties.EMPTY, 0, false, false);
                    break;
                }
                case PACKET_ID_MAX:
                    if (value == 0) {
                        doPublish(c, topic, TopicName.of(topic), QoS.AT_LEAST_ONCE, false, 8, Properties.EMPTY, 65_535, false, false);
                    } else if (value == 1) {
                        doSubscribe(c, 65_535, Properties.EMPTY, List.of(TopicSubscription.of(topic + "/#", QoS.AT_LEAST_ONCE)));
                    } else {
                        doUnsubscribe(c, 65_535, List.of(TopicFilter.of(topic + "/#")), List.of(topic + "/#"));
                    }
                    break;
                case EMPTY_STRINGS:
                    if (value == 0 || !v.isV5()) {
                        doPublish(c, topic, TopicName.of(topic), QoS.AT_LEAST_ONCE, false, 0, Properties.EMPTY, 0, false, false);
                    } else {
                        doPublish(c, topic, TopicName.of(topic), QoS.AT_LEAST_ONCE, false, 8,
                                Properties.builder().userProperty("", "").build(), 0, false, false);
                    }
                    break;
                case MAX_STRINGS:
                    if (value == 0 || !v.isV5()) {
                        String max = topic(Action.MAX_TOPIC);
                        doPublish(c, max, TopicName.of(max), QoS.AT_LEAST_ONCE, false, 8, Properties.EMPTY, 0, false, false);
                    } else {
                        doPublish(c, topic, TopicName.of(topic), QoS.AT_LEAST_ONCE, false, 8,
                                Properties.builder().userProperty("k", "v".repeat(65_535)).build(), 0, false, false);
                    }
                    break;
                case SUBSCRIPTION_ID:
                    if (v.isV5() && c.limits.subscriptionIds) {
                        doSubscribe(c, c.nextPacketId(),
                                Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, value)),
                                List.of(TopicSubscription.of(topic + "/sid", QoS.AT_LEAST_ONCE)));
                    }
                    break;
                default:
                    break;
            }
        }

        // ------------------------------------------------------------ mutations

        void malformed(Action.Malformed a) {
            Mutation m = a.mutation();
            int variant = Math.min(a.variant(), m.variants(v) - 1);
            if (variant < 0) {
                return;
            }
            Obligation obl = m.obligation(v, variant);
            ProbeClient probe;
            Conn c = null;
            byte[] prior = new byte[0];
            int packetId = 0x4D;
            String connName;
            if (m.stage() == Mutation.Stage.SESSION) {
                c = ensure(a.client());
                if (c == null) {
                    return;
                }
                probe = c.probe;
                connName = c.name;
                packetId = c.nextPacketId();
                prior = MqttEncoder.encodeUnchecked(Connect.builder(v).clientId("x").build(), v);
            } else {
                connName = nextName(a.client()) + "m";
                // an unknown protocol level is answered (if at all) in the 3.1.1 layout
                probe = open(connName, true, m == Mutation.CONNECT_PROTOCOL_LEVEL ? MqttVersion.V3_1_1 : v);
                if (probe == null) {
                    return;
                }
            }
            steps.add(a.describe());
            Mutation.Context ctx = new Mutation.Context(v, ns.clientId(a.client() + 3), ns.topicPrefix(), packetId);
            byte[] bytes = m.build(ctx, variant);
            if (!m.stateful() && !decoderAgrees(prior, bytes)) {
                errors.add("mutation " + m + "/" + variant + " produced bytes our decoder accepts; not sent");
                if (c == null) {
                    probe.close();
                }
                return;
            }
            exercised(obl.statement());
            obl.breaks().forEach(this::exercised);
            if (m == Mutation.SECOND_CONNECT) {
                // a valid CONNECT, sent as a packet so that the trace checks judge what follows it
                if (stats != null) {
                    stats.packet("CONNECT");
                }
                try {
                    probe.send(Connect.builder(v).clientId(ctx.clientId()).build());
                } catch (IOException e) {
                    // closed: the close shows up as an event
                }
            } else {
                rawSince.putIfAbsent(connName, now());
                if (m == Mutation.CONNECT_PROTOCOL_LEVEL) {
                    ambiguous.add(connName);
                }
                sendRaw(probe, bytes, m.describe(variant));
            }
            try {
                probe.send(Pingreq.INSTANCE);
            } catch (IOException e) {
                // the broker may already have closed: the close shows up as an event
            }
            MalformedOracle.Reaction r = MalformedOracle.react(probe, settings.responseTimeout());
            acceptedInvalid |= !r.closed(); // carried on, stayed open, or answered with bytes we cannot decode
            for (Finding f : MalformedOracle.judge(v, m, variant, obl, r, connName, settings.responseTimeout())) {
                finding(f);
            }
            if (c != null) {
                c.dead = true;
                model.endedByUs(c.name, now());
            }
            probe.close();
        }

        /** Our strict decoder must find the bytes malformed (after a CONNECT, for session-stage mutations). */
        boolean decoderAgrees(byte[] prior, byte[] bytes) {
            MqttDecoder d = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            byte[] all = Arrays.copyOf(prior, prior.length + bytes.length);
            System.arraycopy(bytes, 0, all, prior.length, bytes.length);
            for (DecodeResult r : d.feed(all)) {
                if (r instanceof Malformed mf) {
                    return mf.offset() >= prior.length;
                }
            }
            return false;
        }

        // ------------------------------------------------------------ end of case

        void finish() {
            List<DeliveryModel.Required> required = model.required(trace);
            long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos();
            for (DeliveryModel.Required r : required) {
                exercised(r.statement());
                if (model.arrived(trace, r)) {
                    continue;
                }
                Conn c = byName(r.conn());
                String tok = model.payloadToken(r.n());
                while (c != null && !model.arrived(trace, r) && System.nanoTime() < deadline && !c.probe.isClosed()) {
                    c.probe.awaitPacket(p -> p instanceof Publish pub && startsWith(pub.payload(), tok),
                            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                }
            }
            // required deliveries whose subscriber was closed by the broker meanwhile are no longer required
            List<DeliveryModel.Required> stillRequired = model.required(trace);
            List<DeliveryModel.Required> judged = new ArrayList<>();
            for (DeliveryModel.Required r : required) {
                if (stillRequired.contains(r)) {
                    judged.add(r);
                }
            }
            closeAll();
            if (!trace.events().isEmpty()) {
                exercised("MQTT-3.3.2-3");
            }
            for (Finding f : model.judge(trace, judged, settings.deliveryTimeout().toMillis())) {
                finding(f);
            }
            traceChecks();
            maximumPacketSize();
            cleanup();
        }

        boolean startsWith(BinaryData payload, String tok) {
            if (payload.length() < tok.length() + 1) {
                return false;
            }
            String s = new String(payload.toByteArray(), 0, tok.length() + 1, StandardCharsets.US_ASCII);
            return s.startsWith(tok) && !Character.isDigit(s.charAt(tok.length()));
        }

        Conn byName(String name) {
            for (Conn c : all) {
                if (c.name.equals(name)) {
                    return c;
                }
            }
            return null;
        }

        void closeAll() {
            for (Conn c : all) {
                if (c.alive()) {
                    model.endedByUs(c.name, now());
                    Disconnect d = Disconnect.NORMAL;
                    if (v.isV5() && c.connectExpiry > 0 && latest(c)) {
                        // ends the session with the connection: no cleanup connection needed (§3.14.2.2.2)
                        d = new Disconnect(0, Properties.of(Property.number(
                                PropertyId.SESSION_EXPIRY_INTERVAL, 0)));
                        persistent.remove(c.clientId);
                    }
                    send(c, d);
                }
                c.probe.close();
            }
        }

        /** True if no later connection used c's Client Identifier. */
        boolean latest(Conn c) {
            for (int i = all.size() - 1; i >= 0; i--) {
                Conn o = all.get(i);
                if (o.accepted && o.clientId.equals(c.clientId)) {
                    return o == c;
                }
            }
            return false;
        }

        /** The universal checks, over each connection up to its first deliberately malformed packet. */
        void traceChecks() {
            Trace filtered = new Trace(10_000);
            for (TraceEvent e : trace.events()) {
                Long since = rawSince.get(e.connection());
                if (since != null && e.atNanos() >= since && e.kind() != TraceEvent.Kind.MALFORMED) {
                    continue;
                }
                if (ambiguous.contains(e.connection())) {
                    continue;
                }
                if (e.kind() == TraceEvent.Kind.MALFORMED) {
                    filtered.addMalformed(e.connection(), e.bytes(),
                            new Malformed(0x81, e.statements(), 0, null, v, e.text()));
                } else {
                    filtered.add(e.connection(), e.kind(), e.bytes(), e.packet(), e.text());
                }
            }
            for (CheckResult r : TraceChecks.judge(filtered, v)) {
                exercised(r.statement());
                if (r.verdict() != Verdict.FAIL || excludedCheck(r.statement())) {
                    continue;
                }
                if (acceptedInvalid && r.check().equals("the broker sends well-formed packets")) {
                    // garbage in, garbage out: the broker accepted one of our invalid packets (which 5.0
                    // allows it not to detect) and forwarded its content; not judged as the broker's own
                    errors.add("malformed bytes from the broker after it accepted an invalid packet: " + r.observed());
                    continue;
                }
                finding(new Finding(new StatementKey(v, r.statement()), r.check(),
                        Verdict.FAIL, r.expected(), r.observed(), List.of()));
            }
        }

        /** Judged by the delivery model instead, which knows every subscription and session. */
        boolean excludedCheck(String id) {
            return id.equals("MQTT-3.3.2-3") || id.equals(v.isV5() ? "MQTT-3.8.4-8" : "MQTT-3.8.4-6")
                    || (v.isV5() && id.equals("MQTT-3.1.2-24"));
        }

        /** 5.0 MQTT-3.1.2-24, judged on each packet's own size (a trace event may hold a whole read). */
        void maximumPacketSize() {
            if (!v.isV5()) {
                return;
            }
            for (Conn c : all) {
                long max = c.params.maximumPacketSize();
                if (max <= 0) {
                    continue;
                }
                exercised("MQTT-3.1.2-24");
                for (TraceEvent e : trace.events()) {
                    if (e.kind() == TraceEvent.Kind.RECEIVED && e.connection().equals(c.name) && e.packet() != null) {
                        int size = MqttEncoder.size(e.packet(), v);
                        if (size > max) {
                            finding(Finding.fail(v, "MQTT-3.1.2-24", "packet above the client's Maximum Packet Size",
                                    "no packet larger than " + max + " bytes", c.name + " received " + size + " bytes: " + e.text(),
                                    List.of("MQTT-3.1.2-25")));
                        }
                    }
                }
            }
        }

        /** Sessions the case left on the broker are ended: CONNECT with a clean start (and no expiry), then DISCONNECT. */
        void cleanup() {
            for (String id : persistent) {
                Trace t = new Trace(20);
                try {
                    ProbeClient p = ProbeClient.open(endpoint, v, "cleanup", t,
                            ProbeClient.Options.DEFAULT.withTimeout(settings.responseTimeout()));
                    try {
                        p.connect(Connect.builder(v).clientId(id).cleanStart(true).build());
                        p.disconnect();
                    } finally {
                        p.close();
                    }
                } catch (IOException | RuntimeException e) {
                    errors.add("cleanup of session " + id + " failed: " + e.getMessage());
                }
            }
        }
    }
}
