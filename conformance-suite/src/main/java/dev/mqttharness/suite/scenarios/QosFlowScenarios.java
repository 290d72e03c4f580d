package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The QoS protocols (§3.3.4 / 3.1.1 §3.3.4, §3.4-§3.7, §4.3) and message receipt (§4.5): the broker as
 * receiver answers each QoS with the right acknowledgement and identifier, delivers a QoS 2 message
 * once however often it is repeated before PUBREL, and frees identifiers; as sender it uses fresh
 * identifiers and answers PUBREC with PUBREL. Packet identifiers are chosen here (not 1, 2, ...)
 * so that an acknowledgement carrying the wrong one cannot pass by chance.
 */
@ScenarioSuite
class QosFlowScenarios {

    /** The next acknowledgement of any kind (PUBACK, PUBREC, PUBREL, PUBCOMP); empty if none came. */
    static Optional<PubAck> nextAck(ProbeClient p) {
        return p.awaitPacket(x -> x instanceof PubAck, p.timeout()).map(PubAck.class::cast);
    }

    static String describe(Optional<? extends Packet> p, ProbeClient probe, String what) {
        return p.map(x -> PacketFormat.describe((Packet) x)).orElse(Messages.nothing(probe, what));
    }

    static boolean is(Optional<PubAck> a, PacketType type, int id) {
        return a.isPresent() && a.get().type() == type && a.get().packetId() == id;
    }

    /** A decoded acknowledgement's reason code is in its packet's table (the decoder rejects others). */
    static boolean codeValid(Optional<PubAck> a, PacketType type) {
        return a.isPresent() && a.get().type() == type && ReasonCode.of(a.get().reasonCode(), type) != null;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.4-1", "MQTT-4.3.2-2", "MQTT-4.3.3-2"})
    @Verifies(version = V5, value = {"MQTT-3.3.4-1", "MQTT-4.3.2-4", "MQTT-4.3.3-8", "MQTT-4.3.3-11", "MQTT-3.4.2-1",
            "MQTT-3.5.2-1", "MQTT-3.7.2-1"})
    void publish_is_answered_as_its_qos_requires(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("ack");
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");

        pub.send(Publish.of(topic, "q0", QoS.AT_MOST_ONCE, 0, false));
        List<Packet> afterQos0 = pub.barrier();
        boolean q0ok = afterQos0.stream().noneMatch(x -> x instanceof PubAck);

        int id1 = 0x1234;
        pub.send(Publish.of(topic, "q1", QoS.AT_LEAST_ONCE, id1, false));
        Optional<PubAck> ack1 = nextAck(pub);

        int id2 = 0x2345;
        pub.send(Publish.of(topic, "q2", QoS.EXACTLY_ONCE, id2, false));
        Optional<PubAck> rec = nextAck(pub);
        Optional<PubAck> comp = Optional.empty();
        if (is(rec, PacketType.PUBREC, id2) && rec.get().reasonCode() < 0x80) {
            pub.send(new Pubrel(id2));
            comp = nextAck(pub);
        }
        String s0 = "after QoS 0: " + Messages.describe(afterQos0);
        String s1 = "QoS 1 id " + id1 + " answered by " + describe(ack1, pub, "acknowledgement");
        String s2 = "QoS 2 id " + id2 + " answered by " + describe(rec, pub, "acknowledgement");
        String s3 = "PUBREL id " + id2 + " answered by " + describe(comp, pub, "acknowledgement");
        boolean q1ok = is(ack1, PacketType.PUBACK, id1);
        boolean q2ok = is(rec, PacketType.PUBREC, id2);
        boolean compOk = is(comp, PacketType.PUBCOMP, id2);
        ctx.check("MQTT-3.3.4-1", q0ok && q1ok && q2ok, "QoS 0 gets no answer, QoS 1 a PUBACK, QoS 2 a PUBREC",
                "nothing, PUBACK, PUBREC", s0 + "; " + s1 + "; " + s2);
        if (ctx.v5()) {
            ctx.check("MQTT-4.3.2-4", q1ok, "PUBACK carries the PUBLISH's packet identifier", "PUBACK id " + id1, s1);
            ctx.check("MQTT-4.3.3-8", q2ok, "PUBREC carries the PUBLISH's packet identifier", "PUBREC id " + id2, s2);
            if (q2ok) {
                ctx.check("MQTT-4.3.3-11", compOk, "PUBREL is answered by a PUBCOMP with the same identifier",
                        "PUBCOMP id " + id2, s3);
            } else {
                ctx.verdict("MQTT-4.3.3-11", Verdict.NOT_TESTED, "PUBREL is answered by a PUBCOMP with the same identifier",
                        "PUBCOMP id " + id2, "no PUBREL was sent, as no PUBREC came: " + s2);
            }
            // a reason code is judged where the acknowledgement came; a missing one is MQTT-3.3.4-1's business
            judgeCode(ctx, "MQTT-3.4.2-1", ack1, PacketType.PUBACK, "PUBACK uses a PUBACK reason code",
                    "a code of the PUBACK table", s1);
            judgeCode(ctx, "MQTT-3.5.2-1", rec, PacketType.PUBREC, "PUBREC uses a PUBREC reason code",
                    "a code of the PUBREC table", s2);
            judgeCode(ctx, "MQTT-3.7.2-1", comp, PacketType.PUBCOMP, "PUBCOMP uses a PUBCOMP reason code",
                    "0x00 or 0x92", s3);
        } else {
            ctx.check("MQTT-4.3.2-2", q1ok, "PUBACK carries the PUBLISH's packet identifier", "PUBACK id " + id1, s1);
            ctx.check("MQTT-4.3.3-2", q2ok && compOk, "PUBREC and PUBCOMP carry the PUBLISH's packet identifier",
                    "PUBREC id " + id2 + ", then PUBCOMP id " + id2, s2 + "; " + s3);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.3.2-2")
    @Verifies(version = V5, value = "MQTT-4.3.2-5")
    void qos1_packet_id_reused_after_puback_is_a_new_message(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String topic = ctx.topic("reuse1");
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int id = 0x0707;
        pub.publish(Publish.of(topic, "first", QoS.AT_LEAST_ONCE, id, false));
        // same identifier, DUP 1: after the PUBACK this is still a new message
        pub.publish(Publish.of(topic, "second", QoS.AT_LEAST_ONCE, id, false).withDup(true));
        List<Publish> got = Messages.awaitUntil(sub, topic, Messages.withPayload("second"));
        boolean ok = Messages.payloads(got).equals(List.of("first", "second"));
        ctx.check(ctx.v5() ? "MQTT-4.3.2-5" : "MQTT-4.3.2-2", ok,
                "after its PUBACK, a packet identifier on a PUBLISH starts a new message, DUP or not",
                "'first' and 'second' both delivered", Messages.describe(got)
                        + (ok ? "" : "; " + Messages.nothing(sub, "'second'")));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.3.3-2")
    @Verifies(version = V5, value = {"MQTT-4.3.3-10", "MQTT-4.3.3-12"})
    void qos2_message_repeated_before_pubrel_is_delivered_once(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("once");
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int id = 0x0909;
        Publish once = Publish.of(topic, "once", QoS.EXACTLY_ONCE, id, false);
        pub.send(once);
        Optional<PubAck> rec1 = nextAck(pub);
        // the same PUBLISH again before PUBREL, as a client re-sending it would
        pub.send(once.withDup(true));
        Optional<PubAck> rec2 = nextAck(pub);
        pub.send(new Pubrel(id));
        Optional<PubAck> comp = nextAck(pub);
        String flow = describe(rec1, pub, "PUBREC") + ", then after the repeat " + describe(rec2, pub, "PUBREC")
                + ", then after PUBREL " + describe(comp, pub, "PUBCOMP");
        // the identifier is free again: a new message with it
        boolean freed = is(comp, PacketType.PUBCOMP, id);
        Optional<Packet> again = Optional.empty();
        if (freed) {
            again = Optional.ofNullable(pub.publish(Publish.of(topic, "again", QoS.EXACTLY_ONCE, id, false)));
        }
        List<Publish> got = Messages.awaitUntil(sub, topic, Messages.withPayload("again"));
        List<Packet> late = sub.barrier();
        got.addAll(Messages.publishes(late, Messages.onTopic(topic)));
        long onceCount = got.stream().filter(Messages.withPayload("once")).count();
        boolean againSeen = got.stream().anyMatch(Messages.withPayload("again"));
        String delivered = "subscriber received " + Messages.describe(got);
        boolean repeatOk = is(rec1, PacketType.PUBREC, id) && is(rec2, PacketType.PUBREC, id) && onceCount == 1;
        if (ctx.v5()) {
            ctx.check("MQTT-4.3.3-10", repeatOk, "a QoS 2 PUBLISH repeated before PUBREL is acknowledged again but delivered once",
                    "PUBREC id " + id + " twice; 'once' delivered exactly once", flow + "; " + delivered);
            ctx.check("MQTT-4.3.3-12", freed && againSeen, "after PUBCOMP the packet identifier starts a new message",
                    "'again' (same id) delivered", flow + "; then " + describe(again, pub, "PUBCOMP") + "; " + delivered);
        } else {
            ctx.check("MQTT-4.3.3-2", repeatOk && freed && againSeen,
                    "QoS 2 receiver: PUBREC per copy, one delivery, PUBCOMP on PUBREL, then the id is new",
                    "PUBREC id " + id + " twice, PUBCOMP, 'once' delivered once and 'again' delivered",
                    flow + "; " + delivered);
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.3.3-9")
    void qos2_packet_id_refused_with_pubrec_error_is_free_for_a_new_message(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("refused");
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int id = 0x0B0B;
        // a payload declared UTF-8 that is not: a broker that validates it refuses with PUBREC 0x99 (§3.3.2.3.2)
        pub.send(new Publish(false, QoS.EXACTLY_ONCE, false, TopicName.of(topic), id,
                Properties.builder().number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1).build(),
                BinaryData.of(new byte[] {(byte) 0xC3, 0x28})));
        Optional<PubAck> rec = nextAck(pub);
        if (rec.isEmpty() || rec.get().reasonCode() < 0x80) {
            if (rec.isPresent()) {
                pub.send(new Pubrel(id));
                nextAck(pub);
            }
            ctx.verdict("MQTT-4.3.3-9", Verdict.NOT_TESTED, "an identifier refused by PUBREC 0x80+ is free", "",
                    "the broker did not refuse the QoS 2 PUBLISH with a PUBREC error code (it MAY skip payload validation): "
                            + describe(rec, pub, "PUBREC"));
            return;
        }
        Packet last = pub.publish(Publish.of(topic, "after-refusal", QoS.EXACTLY_ONCE, id, false));
        Optional<Publish> got = sub.awaitPublish(topic);
        boolean ok = got.isPresent() && got.get().payload().toUtf8().equals("after-refusal");
        ctx.check("MQTT-4.3.3-9", ok, "after a PUBREC 0x80+, the packet identifier starts a new message",
                "'after-refusal' (same id " + id + ") delivered",
                "refused with " + PacketFormat.describe(rec.get()) + "; the new message ended with "
                        + (last == null ? "nothing" : PacketFormat.describe(last)) + "; subscriber: "
                        + got.map(PacketFormat::describe).orElse(Messages.nothing(sub, "PUBLISH")));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.5.0-1")
    @Verifies(version = V5, value = "MQTT-4.5.0-1")
    void message_is_added_to_every_matching_session(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String topic = ctx.topic("all");
        ProbeClient offline = ctx.connect("offline", Messages.persistent(ctx, false));
        offline.subscribe(topic, QoS.AT_LEAST_ONCE);
        offline.disconnect();
        ProbeClient a = ctx.connect("subA", b -> b, Messages.autoAck(ctx));
        a.subscribe(topic, QoS.AT_MOST_ONCE);
        ProbeClient b2 = ctx.connect("subB", b -> b, Messages.autoAck(ctx));
        b2.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "to-all", QoS.AT_LEAST_ONCE, 0, false));
        List<String> missing = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (ProbeClient s : List.of(a, b2)) {
            Optional<Publish> got = s.awaitPublish(topic);
            seen.add(s.name() + ": " + got.map(PacketFormat::describe).orElse(Messages.nothing(s, "PUBLISH")));
            if (got.isEmpty()) {
                missing.add(s.name());
            }
        }
        ProbeClient back = ctx.connect("offlineBack", Messages.resume(ctx, "offline"), Messages.autoAck(ctx));
        Optional<Publish> queued = back.awaitPublish(topic);
        seen.add("offline session on return: " + queued.map(PacketFormat::describe).orElse(Messages.nothing(back, "PUBLISH")));
        if (queued.isEmpty()) {
            missing.add("offline session");
        }
        ctx.check("MQTT-4.5.0-1", missing.isEmpty(), "the message is added to every session with a matching subscription",
                "delivered to two connected subscribers and to the disconnected persistent session", String.join("; ", seen));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.3.2-1", "MQTT-4.3.3-1"})
    @Verifies(version = V5, value = {"MQTT-4.3.2-1", "MQTT-4.3.3-1"})
    void broker_packet_ids_are_not_reused_while_unacknowledged(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String q1 = ctx.topic("ids1");
        String q2 = ctx.topic("ids2");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(TopicSubscription.of(q1, QoS.AT_LEAST_ONCE),
                TopicSubscription.of(q2, QoS.EXACTLY_ONCE));
        ProbeClient pub = ctx.connect("pub");
        int n = Math.min(3, Math.max(1, ctx.capabilities().receiveMaximum() / 2));
        for (int i = 0; i < n; i++) {
            pub.publish(Publish.of(q1, "a" + i, QoS.AT_LEAST_ONCE, 0, false));
            pub.publish(Publish.of(q2, "b" + i, QoS.EXACTLY_ONCE, 0, false));
        }
        // deliveries stay unacknowledged so that their identifiers stay in use (as far as the broker sends more)
        Messages.Held held = Messages.collectHoldingAcks(sub, x -> true, 2 * n, ctx.timeout());
        List<Publish> got = held.got();
        boolean distinct = held.reused().isEmpty();
        int widest = held.widest();
        List<Publish> ones = Messages.publishes(new ArrayList<>(got), Messages.onTopic(q1));
        List<Publish> twos = Messages.publishes(new ArrayList<>(got), Messages.onTopic(q2));
        String observed = got.size() + " deliveries, at most " + widest + " unacknowledged at once: "
                + Messages.describe(got) + (got.size() == 2 * n ? "" : "; " + Messages.nothing(sub, "more PUBLISHes"));
        ctx.check("MQTT-4.3.2-1", got.size() == 2 * n && distinct && ones.stream().allMatch(x -> x.qos() == QoS.AT_LEAST_ONCE && !x.dup()),
                "each QoS 1 delivery uses an identifier not in use, QoS 1 and DUP 0",
                2 * n + " deliveries with distinct non-zero identifiers", observed);
        ctx.check("MQTT-4.3.3-1", got.size() == 2 * n && distinct && twos.stream().allMatch(x -> x.qos() == QoS.EXACTLY_ONCE && !x.dup()),
                "each QoS 2 delivery uses an identifier not in use, QoS 2 and DUP 0",
                2 * n + " deliveries with distinct non-zero identifiers", observed);
    }


    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.3.3-1", "MQTT-3.6.1-1"})
    @Verifies(version = V5, value = {"MQTT-4.3.3-4", "MQTT-3.6.2-1", "MQTT-3.6.1-1"})
    void broker_answers_pubrec_with_pubrel(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("rel");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "q2", QoS.EXACTLY_ONCE, 0, false));
        Optional<Publish> got = sub.awaitPublish(topic);
        if (got.isEmpty() || got.get().qos() != QoS.EXACTLY_ONCE) {
            String why = got.map(PacketFormat::describe).orElse(Messages.nothing(sub, "PUBLISH"));
            for (String id : ctx.v5() ? List.of("MQTT-4.3.3-4", "MQTT-3.6.2-1", "MQTT-3.6.1-1") : List.of("MQTT-4.3.3-1", "MQTT-3.6.1-1")) {
                ctx.fail(id, "a QoS 2 delivery to answer", "a QoS 2 PUBLISH", why);
            }
            return;
        }
        int id = got.get().packetId();
        sub.send(new Pubrec(id));
        Optional<PubAck> rel = nextAck(sub);
        String observed = "PUBREC id " + id + " answered by " + describe(rel, sub, "PUBREL");
        boolean ok = is(rel, PacketType.PUBREL, id);
        ctx.check(ctx.v5() ? "MQTT-4.3.3-4" : "MQTT-4.3.3-1", ok, "PUBREC is answered by PUBREL with the same identifier",
                "PUBREL id " + id, observed);
        // a PUBREL that decoded has the fixed-header flags 0010 and a valid reason code: the decoder refuses
        // anything else, so bad ones arrive as malformed bytes; no PUBREL at all is MQTT-4.3.3-4's business
        boolean malformed = sub.pending().stream().anyMatch(e -> e instanceof ProbeClient.MalformedEvent);
        List<String> shape = ctx.v5() ? List.of("MQTT-3.6.1-1", "MQTT-3.6.2-1") : List.of("MQTT-3.6.1-1");
        for (String sid : shape) {
            String check = sid.equals("MQTT-3.6.1-1") ? "the broker's PUBREL has fixed-header flags 0010"
                    : "PUBREL uses a PUBREL reason code (0x00 or 0x92)";
            if (rel.isPresent()) {
                ctx.check(sid, rel.get().type() == PacketType.PUBREL && (sid.equals("MQTT-3.6.1-1")
                        || codeValid(rel, PacketType.PUBREL)), check, "a well-formed PUBREL", observed);
            } else if (malformed) {
                ctx.fail(sid, check, "a well-formed PUBREL", observed);
            } else {
                ctx.verdict(sid, Verdict.NOT_TESTED, check, "a PUBREL to look at", observed);
            }
        }
        if (rel.isPresent()) {
            sub.send(new Pubcomp(id));
        }
    }

    /** Judges the reason code of an acknowledgement; NOT_TESTED when none came (the missing one is judged elsewhere). */
    static void judgeCode(ScenarioContext ctx, String id, Optional<PubAck> ack, PacketType type, String check,
                                  String expected, String observed) {
        if (ack.isEmpty()) {
            ctx.verdict(id, Verdict.NOT_TESTED, check, expected, "no acknowledgement to judge: " + observed);
            return;
        }
        ctx.check(id, codeValid(ack, type), check, expected, observed);
    }
}
