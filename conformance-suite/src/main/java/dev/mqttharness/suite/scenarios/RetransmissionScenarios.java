package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Message delivery retry (§4.4) and the DUP flag of re-deliveries (§3.3.1.1): what a session left
 * unacknowledged is sent again, with its original packet identifier, when the client resumes it
 * with Clean Start 0 (Clean Session 0 in 3.1.1) — never while the connection is up, never after a
 * PUBREL or an error acknowledgement; and the broker accepts the client's own resends.
 */
@ScenarioSuite
class RetransmissionScenarios {

    /** The statements a resumed session's failure to come back leaves unjudgeable: judged FAIL with the reason. */
    private static boolean resumed(ScenarioContext ctx, ProbeClient back, List<String> ids) {
        Connack ack = ctx.connackOf(back);
        if (ack != null && ack.sessionPresent()) {
            return true;
        }
        for (String id : ids) {
            ctx.fail(id, "the session is resumed to resend what was unacknowledged", "CONNACK with Session Present 1",
                    ack == null ? "no CONNACK" : PacketFormat.describe(ack));
        }
        return false;
    }

    /** A re-delivery seen on resuming, with the connection it came on. */
    private record Redelivery(ProbeClient back, String topic, Publish publish) {
    }

    /**
     * Delivers a message at {@code qos} to a persistent subscriber that never sends {@code ack}, drops the
     * connection and resumes the session; judges what QoS 1 and 2 share: the re-delivery comes on resuming
     * and only then (MQTT-4.4.0-1), with DUP 1 (MQTT-3.3.1-1), and in 5.0 the message stayed unacknowledged
     * ({@code unacknowledgedId}). Returns the re-delivery, or null when there was none to acknowledge.
     */
    private static Redelivery resendOnResume(ScenarioContext ctx, QoS qos, String ack, String unacknowledgedId)
            throws Exception {
        String topic = ctx.topic("r" + qos.value());
        ProbeClient sub = ctx.connect("sub", Messages.persistent(ctx, false));
        sub.subscribe(topic, qos);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "no-" + ack.toLowerCase(java.util.Locale.ROOT), qos, 0, false));
        Optional<Publish> first = sub.awaitPublish(topic);
        if (first.isEmpty()) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(sub, "first delivery"));
        }
        // no acknowledgement; on the live connection nothing may be re-sent (MQTT-4.4.0-1, 5.0)
        List<Publish> resentLive = Messages.publishes(sub.barrier(), Messages.onTopic(topic));
        sub.close();
        ProbeClient back = ctx.connect("subBack", Messages.resume(ctx, "sub"));
        List<String> ids = ctx.v5() ? List.of("MQTT-3.3.1-1", "MQTT-4.4.0-1", unacknowledgedId)
                : List.of("MQTT-3.3.1-1", "MQTT-4.4.0-1");
        if (!resumed(ctx, back, ids)) {
            return null;
        }
        Optional<Publish> again = back.awaitPublish(topic);
        String observed = "first " + PacketFormat.describe(first.get()) + "; on resuming "
                + again.map(PacketFormat::describe).orElse(Messages.nothing(back, "PUBLISH"));
        boolean resent = again.isPresent() && again.get().packetId() == first.get().packetId()
                && again.get().payload().equals(first.get().payload()) && again.get().qos() == qos;
        judgeDup(ctx, resent, again, observed);
        ctx.check("MQTT-4.4.0-1", resent && resentLive.isEmpty(),
                "the PUBLISH without " + ack + " is re-sent on resuming, with its original identifier, and only then",
                "nothing more on the first connection; the PUBLISH with id " + first.get().packetId() + " after resuming",
                observed + (resentLive.isEmpty() ? "" : "; re-sent on the live connection: " + Messages.describe(resentLive)));
        if (ctx.v5()) {
            ctx.check(unacknowledgedId, resent, "a QoS " + qos.value() + " PUBLISH stays unacknowledged until its " + ack,
                    "re-sent after the connection dropped without " + ack, observed);
        }
        return again.map(p -> new Redelivery(back, topic, p)).orElse(null);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.1-1", "MQTT-4.4.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.3.1-1", "MQTT-4.4.0-1", "MQTT-4.3.2-3"})
    void unacknowledged_qos1_delivery_is_resent_with_dup_on_resume(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        Redelivery again = resendOnResume(ctx, QoS.AT_LEAST_ONCE, "PUBACK", "MQTT-4.3.2-3");
        if (again != null) {
            again.back().send(new Puback(again.publish().packetId()));
            List<Publish> extra = Messages.publishes(again.back().barrier(), Messages.onTopic(again.topic()));
            if (!extra.isEmpty()) {
                ctx.fail("MQTT-4.4.0-1", "once acknowledged, the message is not re-sent again", "nothing after the PUBACK",
                        Messages.describe(extra));
            }
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.1-1", "MQTT-4.4.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.3.1-1", "MQTT-4.4.0-1", "MQTT-4.3.3-3"})
    void unacknowledged_qos2_delivery_is_resent_with_dup_on_resume(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        Redelivery again = resendOnResume(ctx, QoS.EXACTLY_ONCE, "PUBREC", "MQTT-4.3.3-3");
        if (again != null) {
            int id = again.publish().packetId();
            again.back().send(new Pubrec(id));
            again.back().await(Pubrel.class).ifPresent(r -> send(again.back(), new Pubcomp(id)));
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.3.3-1", "MQTT-4.4.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.3.3-5", "MQTT-4.3.3-6", "MQTT-4.4.0-1"})
    void unacknowledged_pubrel_is_resent_on_resume_and_the_publish_is_not(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("rel");
        ProbeClient sub = ctx.connect("sub", Messages.persistent(ctx, false));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "released", QoS.EXACTLY_ONCE, 0, false));
        Optional<Publish> first = sub.awaitPublish(topic);
        if (first.isEmpty()) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(sub, "first delivery"));
        }
        int id = first.get().packetId();
        sub.send(new Pubrec(id));
        Optional<Pubrel> rel = sub.await(Pubrel.class);
        if (rel.isEmpty()) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(sub, "PUBREL"));
        }
        // no PUBCOMP: the PUBREL stays unacknowledged
        sub.close();
        ProbeClient back = ctx.connect("subBack", Messages.resume(ctx, "sub"));
        List<String> ids = ctx.v5() ? List.of("MQTT-4.3.3-5", "MQTT-4.3.3-6", "MQTT-4.4.0-1") : List.of("MQTT-4.3.3-1", "MQTT-4.4.0-1");
        if (!resumed(ctx, back, ids)) {
            return;
        }
        Optional<PubAck> again = back.awaitPacket(x -> x instanceof Pubrel, back.timeout()).map(PubAck.class::cast);
        String observed = "PUBREL id " + rel.get().packetId() + " left unanswered; on resuming "
                + QosFlowScenarios.describe(again, back, "PUBREL");
        boolean resent = QosFlowScenarios.is(again, PacketType.PUBREL, id);
        // everything the broker sends on resuming comes before a message published afterwards
        List<Publish> republished = new ArrayList<>();
        if (again.isPresent()) {
            back.send(new Pubcomp(id));
        }
        pub.publish(Publish.of(topic, "sentinel", QoS.EXACTLY_ONCE, 0, false));
        List<Publish> upTo = new ArrayList<>();
        while (true) {
            Optional<Publish> p = back.awaitPublish(topic);
            if (p.isEmpty()) {
                break;
            }
            upTo.add(p.get());
            if (p.get().payload().toUtf8().equals("sentinel")) {
                int sid = p.get().packetId();
                send(back, new Pubrec(sid));
                break;
            }
        }
        for (Publish p : upTo) {
            if (p.payload().toUtf8().equals("released")) {
                republished.add(p);
            }
        }
        boolean sentinelSeen = upTo.stream().anyMatch(Messages.withPayload("sentinel"));
        String after = "; then before the sentinel: " + Messages.describe(upTo)
                + (sentinelSeen ? "" : " (" + Messages.nothing(back, "sentinel") + ")");
        if (ctx.v5()) {
            ctx.check("MQTT-4.3.3-5", resent, "a PUBREL stays unacknowledged until its PUBCOMP", "PUBREL id " + id + " again",
                    observed);
            ctx.check("MQTT-4.3.3-6", sentinelSeen && republished.isEmpty(), "after PUBREL the PUBLISH is never sent again",
                    "no 'released' PUBLISH before the sentinel", observed + after);
        } else {
            ctx.check("MQTT-4.3.3-1", sentinelSeen && republished.isEmpty(), "after PUBREL the PUBLISH is never sent again",
                    "no 'released' PUBLISH before the sentinel", observed + after);
        }
        ctx.check("MQTT-4.4.0-1", resent, "the unacknowledged PUBREL is re-sent on resuming with its identifier",
                "PUBREL id " + id, observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.4.0-2")
    void delivery_answered_with_an_error_code_is_not_resent(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("err");
        ProbeClient sub = ctx.connect("sub", Messages.persistent(ctx, false));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "refused-1", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(topic, "refused-2", QoS.EXACTLY_ONCE, 0, false));
        // each delivery is refused as it arrives (a broker may hold the second back until the first is answered)
        List<Publish> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Optional<Publish> p = sub.awaitPacket(x -> x instanceof Publish && ((Publish) x).topic().toString().equals(topic),
                    ctx.timeout()).map(Publish.class::cast);
            if (p.isEmpty()) {
                break;
            }
            got.add(p.get());
            // 0x80 (Unspecified error): the delivery is acknowledged, and refused
            sub.send(p.get().qos() == QoS.AT_LEAST_ONCE ? new Puback(p.get().packetId(), 0x80, Properties.EMPTY)
                    : new Pubrec(p.get().packetId(), 0x80, Properties.EMPTY));
        }
        List<Packet> afterRefusal = sub.barrier();
        sub.close();
        if (got.size() != 2) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(sub, "both deliveries") + ": " + Messages.describe(got));
        }
        ProbeClient back = ctx.connect("subBack", Messages.resume(ctx, "sub"), Messages.autoAck(ctx));
        if (!resumed(ctx, back, List.of("MQTT-4.4.0-2"))) {
            return;
        }
        pub.publish(Publish.of(topic, "sentinel", QoS.AT_LEAST_ONCE, 0, false));
        List<Publish> upTo = Messages.awaitUntil(back, topic, Messages.withPayload("sentinel"));
        boolean sentinelSeen = upTo.stream().anyMatch(Messages.withPayload("sentinel"));
        List<Publish> resent = new ArrayList<>();
        for (Publish p : upTo) {
            if (p.payload().toUtf8().startsWith("refused-")) {
                resent.add(p);
            }
        }
        ctx.check("MQTT-4.4.0-2", sentinelSeen && resent.isEmpty() && Messages.publishes(afterRefusal, x -> true).isEmpty(),
                "a PUBLISH answered by PUBACK or PUBREC 0x80+ is acknowledged and never re-sent",
                "neither refused message again, before the sentinel",
                "refused " + Messages.describe(got) + "; then on the same connection " + Messages.describe(afterRefusal)
                        + "; on resuming: " + Messages.describe(upTo)
                        + (sentinelSeen ? "" : " (" + Messages.nothing(back, "sentinel") + ")"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.4.0-1", "MQTT-4.3.3-2"})
    @Verifies(version = V5, value = {"MQTT-4.4.0-1", "MQTT-4.3.3-10"})
    void client_resends_after_resuming_are_completed_without_second_delivery(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("cres");
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub", Messages.persistent(ctx, false));
        int pubId = 0x0A01;
        int relId = 0x0A02;
        Publish unreleased = Publish.of(topic, "unreleased", QoS.EXACTLY_ONCE, pubId, false);
        pub.send(unreleased);
        Optional<PubAck> rec1 = QosFlowScenarios.nextAck(pub);
        pub.send(Publish.of(topic, "released", QoS.EXACTLY_ONCE, relId, false));
        Optional<PubAck> rec2 = QosFlowScenarios.nextAck(pub);
        pub.send(new Pubrel(relId));
        // drop the connection without waiting for the PUBCOMP: the client must assume the PUBREL was lost
        pub.close();
        ProbeClient back = ctx.connect("pubBack", Messages.resume(ctx, "pub"));
        List<String> ids = ctx.v5() ? List.of("MQTT-4.4.0-1", "MQTT-4.3.3-10") : List.of("MQTT-4.4.0-1", "MQTT-4.3.3-2");
        if (!resumed(ctx, back, ids)) {
            return;
        }
        // as a client that lost the PUBREC would: repeat the PUBLISH with DUP 1 (allowed until its PUBREL is
        // sent), and re-send the PUBREL that got no PUBCOMP (MQTT-4.4.0-1)
        back.send(unreleased.withDup(true));
        Optional<PubAck> rec3 = QosFlowScenarios.nextAck(back);
        back.send(new Pubrel(relId));
        Optional<PubAck> comp2 = QosFlowScenarios.nextAck(back);
        back.send(new Pubrel(pubId));
        Optional<PubAck> comp1 = QosFlowScenarios.nextAck(back);
        back.publish(Publish.of(topic, "sentinel", QoS.EXACTLY_ONCE, 0, false));
        List<Publish> got = Messages.awaitUntil(sub, topic, Messages.withPayload("sentinel"));
        got.addAll(Messages.publishes(sub.barrier(), Messages.onTopic(topic)));
        long unreleasedCount = got.stream().filter(Messages.withPayload("unreleased")).count();
        long releasedCount = got.stream().filter(Messages.withPayload("released")).count();
        String flow = "before dropping: " + QosFlowScenarios.describe(rec1, pub, "PUBREC") + ", "
                + QosFlowScenarios.describe(rec2, pub, "PUBREC") + "; after resuming: re-sent PUBLISH id " + pubId + " → "
                + QosFlowScenarios.describe(rec3, back, "PUBREC") + ", re-sent PUBREL id " + relId + " → "
                + QosFlowScenarios.describe(comp2, back, "PUBCOMP") + ", PUBREL id " + pubId + " → "
                + QosFlowScenarios.describe(comp1, back, "PUBCOMP") + "; subscriber: " + Messages.describe(got);
        boolean acks = QosFlowScenarios.is(rec3, PacketType.PUBREC, pubId) && QosFlowScenarios.is(comp2, PacketType.PUBCOMP, relId)
                && QosFlowScenarios.is(comp1, PacketType.PUBCOMP, pubId);
        ctx.check("MQTT-4.4.0-1", acks, "the client's re-sent PUBLISH and PUBREL are answered on the resumed session",
                "PUBREC id " + pubId + ", PUBCOMP id " + relId + ", PUBCOMP id " + pubId, flow);
        ctx.check(ctx.v5() ? "MQTT-4.3.3-10" : "MQTT-4.3.3-2", unreleasedCount == 1 && releasedCount == 1,
                "a QoS 2 message re-sent across a reconnection is delivered once", "'unreleased' and 'released' once each",
                flow);
    }

    private static void send(ProbeClient p, Packet packet) {
        try {
            p.send(packet);
        } catch (java.io.IOException ignored) {
            // the close is in the trace
        }
    }

    /** MQTT-3.3.1-1 judges the DUP flag of a re-delivery; with no re-delivery there is no flag to judge (MQTT-4.4.0-1 fails). */
    private static void judgeDup(ScenarioContext ctx, boolean resent, Optional<Publish> again, String observed) {
        if (!resent) {
            ctx.verdict("MQTT-3.3.1-1", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED, "a re-delivered PUBLISH has DUP 1",
                    "the PUBLISH again with DUP 1", "no re-delivery to judge: " + observed);
            return;
        }
        ctx.check("MQTT-3.3.1-1", again.get().dup(), "a re-delivered PUBLISH has DUP 1", "the PUBLISH again with DUP 1",
                observed);
    }
}
