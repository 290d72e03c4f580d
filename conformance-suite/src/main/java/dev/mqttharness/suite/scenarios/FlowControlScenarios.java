package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
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
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioFailed;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flow control (5.0 §4.9, §3.3.4): the broker keeps at most the client's Receive Maximum of QoS 1/2
 * deliveries unacknowledged, starts with a non-zero quota, goes on answering everything else while
 * the quota is used up, and replenishes it on PUBACK, PUBCOMP or an error PUBREC only. A client that
 * exceeds the broker's Receive Maximum is disconnected with 0x93.
 *
 * <p>"No more arrived" is proven without waiting: a second subscriber that acknowledges at once
 * (the witness) receives every message first, so the broker has routed them all to the throttled
 * session; then a PINGREQ barrier on the throttled connection shows what it was sent.
 */
@ScenarioSuite
class FlowControlScenarios {
    /** Above this the broker's Receive Maximum is too costly to exhaust in a scenario. */
    static final int MAX_RECEIVE_MAXIMUM_TO_EXHAUST = 1000;

    private static Property receiveMaximum(int n) {
        return Property.number(PropertyId.RECEIVE_MAXIMUM, n);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.9.0-1", "MQTT-4.9.0-2", "MQTT-4.9.0-3", "MQTT-3.3.4-10", "§4.9", "MQTT-3.3.4-9"})
    void broker_keeps_within_the_client_receive_maximum(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        final int max = 2;
        final int total = 5;
        String topic = ctx.topic("fc");
        ProbeClient slow = ctx.connect("slow", b -> b.property(receiveMaximum(max)));
        slow.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient witness = ctx.connect("witness", b -> b, Messages.autoAck(ctx));
        witness.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        for (int i = 0; i < total; i++) {
            pub.publish(Publish.of(topic, "m" + i, QoS.AT_LEAST_ONCE, 0, false));
        }
        List<Publish> all = Messages.await(witness, topic, total);
        if (all.size() != total) {
            throw new ProbeClient.ExpectationTimeout("the witness got " + all.size() + " of " + total + " messages: "
                    + Messages.nothing(witness, "more"));
        }
        List<Publish> inFlight = new ArrayList<>(Messages.await(slow, topic, 1));
        if (inFlight.isEmpty()) {
            ctx.fail("MQTT-4.9.0-1", "the send quota starts above zero", "at least one delivery without any PUBACK",
                    Messages.nothing(slow, "PUBLISH"));
            throw new ScenarioFailed("no delivery at all to the throttled client");
        }
        // the quota is used up from here on: everything but QoS>0 PUBLISH must still be answered at once,
        // the PINGRESP of this barrier included (MQTT-3.3.4-10)
        List<String> missing = new ArrayList<>();
        try {
            inFlight.addAll(Messages.publishes(slow.barrier(), Messages.onTopic(topic)));
        } catch (ProbeClient.ExpectationTimeout e) {
            missing.add("PINGRESP to the first PINGREQ (" + e.getMessage() + ")");
        }
        String firstRound = inFlight.size() + " unacknowledged: " + Messages.describe(inFlight);
        ctx.check("MQTT-4.9.0-1", inFlight.size() >= 1 && inFlight.size() <= max,
                "the send quota starts at a non-zero value no greater than the client's Receive Maximum",
                "1 to " + max + " deliveries before any PUBACK", firstRound);

        List<String> answered = new ArrayList<>();
        List<Publish> extra = new ArrayList<>();
        try {
            slow.subscribe(ctx.topic("other"), QoS.AT_LEAST_ONCE);
            answered.add("SUBACK");
        } catch (ProbeClient.ExpectationTimeout e) {
            missing.add("SUBACK (" + e.getMessage() + ")");
        }
        try {
            slow.unsubscribe(ctx.topic("other"));
            answered.add("UNSUBACK");
        } catch (ProbeClient.ExpectationTimeout e) {
            missing.add("UNSUBACK (" + e.getMessage() + ")");
        }
        int ownId = 0x0F0F;
        slow.send(Publish.of(ctx.topic("own"), "own", QoS.AT_LEAST_ONCE, ownId, false));
        Optional<Packet> ownAck = slow.awaitPacket(x -> x instanceof Puback && ((Puback) x).packetId() == ownId, slow.timeout());
        if (ownAck.isPresent()) {
            answered.add("PUBACK");
        } else {
            missing.add(Messages.nothing(slow, "PUBACK for the client's own QoS 1 PUBLISH"));
        }
        try {
            extra.addAll(Messages.publishes(slow.barrier(), Messages.onTopic(topic)));
            answered.add("PINGRESP");
        } catch (ProbeClient.ExpectationTimeout e) {
            missing.add("PINGRESP (" + e.getMessage() + ")");
        }
        String whileFull = "with the quota used up: answered " + answered + (missing.isEmpty() ? "" : ", missing " + missing);
        ctx.check("MQTT-4.9.0-3", missing.isEmpty(), "with no send quota left the broker still answers other packets",
                "SUBACK, UNSUBACK, PUBACK and PINGRESP", whileFull);
        ctx.check("MQTT-3.3.4-10", missing.isEmpty(), "packets other than PUBLISH are not delayed by the Receive Maximum",
                "SUBACK, UNSUBACK, PUBACK and PINGRESP without delay", whileFull);

        // replenish one at a time: each PUBACK may release one more delivery, never more than the maximum
        List<String> rounds = new ArrayList<>(List.of(firstRound));
        boolean withinQuota = inFlight.size() + extra.size() <= max;
        List<Publish> received = new ArrayList<>(inFlight);
        received.addAll(extra);
        List<Publish> unacked = new ArrayList<>(received);
        while (received.size() < total && !unacked.isEmpty()) {
            Publish acked = unacked.remove(0);
            slow.send(new Puback(acked.packetId()));
            // a broker need not send the moment one unit of quota is back (it may wait for more):
            // while deliveries are still unacknowledged, a short wait, then the next PUBACK
            java.time.Duration bound = unacked.isEmpty() ? slow.timeout() : slow.timeout().dividedBy(5);
            List<Publish> more = Messages.await(slow, Messages.onTopic(topic), 1, bound);
            if (more.isEmpty()) {
                if (unacked.isEmpty()) {
                    break;
                }
                rounds.add("after PUBACK " + acked.packetId() + ": nothing yet");
                continue;
            }
            more.addAll(Messages.publishes(slow.barrier(), Messages.onTopic(topic)));
            received.addAll(more);
            unacked.addAll(more);
            withinQuota &= unacked.size() <= max;
            rounds.add("after PUBACK " + acked.packetId() + ": " + Messages.describe(more) + " (" + unacked.size() + " unacknowledged)");
        }
        for (Publish p : unacked) {
            slow.send(new Puback(p.packetId()));
        }
        ctx.check("MQTT-4.9.0-2", withinQuota, "no QoS>0 PUBLISH while the send quota is zero",
                "never more than " + max + " unacknowledged deliveries", String.join("; ", rounds)
                        + (extra.isEmpty() ? "" : "; while full: " + Messages.describe(extra)));
        ctx.check("MQTT-3.3.4-9", withinQuota, "no more unacknowledged QoS 1/2 PUBLISHes than the client's Receive Maximum",
                "never more than " + max + " unacknowledged deliveries", String.join("; ", rounds)
                        + (extra.isEmpty() ? "" : "; while full: " + Messages.describe(extra)));
        // §4.9: each PUBACK gives one unit of quota back
        ctx.check("§4.9", received.size() == total, "the send quota is replenished by PUBACK", "all " + total
                + " messages in the end", received.size() + " of " + total + ": " + String.join("; ", rounds)
                + (received.size() == total ? "" : "; " + Messages.nothing(slow, "more")));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.9.0-2", "§4.9"})
    void pubrec_keeps_the_quota_used_until_pubcomp_and_error_pubrec_frees_it(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("fc2");
        ProbeClient slow = ctx.connect("slow", b -> b.property(receiveMaximum(1)));
        slow.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient witness = ctx.connect("witness", b -> b, Messages.autoAck(ctx));
        witness.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        for (int i = 0; i < 3; i++) {
            pub.publish(Publish.of(topic, "m" + i, QoS.EXACTLY_ONCE, 0, false));
        }
        if (Messages.await(witness, topic, 3).size() != 3) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(witness, "all three messages"));
        }
        List<String> steps = new ArrayList<>();
        Optional<Publish> m0 = slow.awaitPublish(topic);
        if (m0.isEmpty()) {
            throw new ProbeClient.ExpectationTimeout(Messages.nothing(slow, "first delivery"));
        }
        steps.add("got " + PacketFormat.describe(m0.get()));
        slow.send(new Pubrec(m0.get().packetId()));
        Optional<Pubrel> rel = slow.await(Pubrel.class);
        // a PUBREC below 0x80 does not replenish the quota: the exchange is still open until PUBCOMP
        List<Publish> early = Messages.publishes(slow.barrier(), Messages.onTopic(topic));
        steps.add("after PUBREC: " + rel.map(PacketFormat::describe).orElse("no PUBREL") + ", deliveries " + Messages.describe(early));
        boolean ok = early.isEmpty();
        slow.send(new Pubcomp(m0.get().packetId()));
        List<Publish> next = new ArrayList<>(early);
        if (next.isEmpty()) {
            next.addAll(Messages.await(slow, topic, 1));
        }
        steps.add("after PUBCOMP: " + Messages.describe(next));
        boolean replenished = !next.isEmpty();
        if (replenished) {
            Publish m1 = next.get(0);
            // an error PUBREC ends the exchange and gives the quota back as well
            slow.send(new Pubrec(m1.packetId(), ReasonCode.UNSPECIFIED_ERROR.value(), Properties.EMPTY));
            List<Publish> last = Messages.await(slow, topic, 1);
            steps.add("after PUBREC 0x80: " + Messages.describe(last));
            replenished = !last.isEmpty();
            for (Publish p : last) {
                slow.send(new Pubrec(p.packetId(), ReasonCode.UNSPECIFIED_ERROR.value(), Properties.EMPTY));
            }
        }
        List<Packet> tail = slow.barrier();
        ctx.check("MQTT-4.9.0-2", ok, "a PUBREC below 0x80 does not replenish the send quota",
                "no second delivery between PUBREC and PUBCOMP with Receive Maximum 1", String.join("; ", steps));
        String check = "PUBCOMP and an error PUBREC replenish the send quota";
        if (rel.isEmpty() || !early.isEmpty()) {
            // without the broker's PUBREL the exchange never reached PUBCOMP, and with the quota ignored from the
            // start there is nothing left to release: no observation about replenishing
            ctx.verdict("§4.9", Verdict.NOT_TESTED, check, "", (rel.isEmpty() ? "no PUBREL: " : "the quota was not kept: ")
                    + String.join("; ", steps));
        } else {
            ctx.check("§4.9", replenished, check, "one more delivery after PUBCOMP, and one more after PUBREC 0x80",
                    String.join("; ", steps) + (replenished ? "" : "; " + Messages.nothing(slow, "more") + " "
                            + Messages.describe(tail)));
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.3.4-7")
    void client_exceeding_the_broker_receive_maximum_is_disconnected(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        int max = ctx.capabilities().receiveMaximum();
        if (max > MAX_RECEIVE_MAXIMUM_TO_EXHAUST) {
            ctx.verdict("MQTT-3.3.4-7", Verdict.NOT_TESTED, "more than Receive Maximum unacknowledged PUBLISHes are refused", "",
                    "the broker's Receive Maximum is " + max + ": exhausting it takes more than "
                            + MAX_RECEIVE_MAXIMUM_TO_EXHAUST + " QoS 2 PUBLISHes");
            return;
        }
        String topic = ctx.topic("rm");
        ProbeClient pub = ctx.connect("pub");
        // QoS 2 without PUBREL: each stays unacknowledged (no PUBCOMP) after its PUBREC
        for (int i = 1; i <= max; i++) {
            pub.send(Publish.of(topic, "in-quota", QoS.EXACTLY_ONCE, i, false));
        }
        List<Packet> recs = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Optional<Packet> r = pub.awaitPacket(x -> x instanceof PubAck, pub.timeout());
            if (r.isEmpty()) {
                break;
            }
            recs.add(r.get());
        }
        if (recs.size() != max) {
            throw new ProbeClient.ExpectationTimeout("only " + recs.size() + " PUBRECs for " + max + " QoS 2 PUBLISHes: "
                    + Messages.nothing(pub, "more"));
        }
        pub.send(Publish.of(topic, "one-too-many", QoS.EXACTLY_ONCE, max + 1, false));
        Outcomes.expectCloseWithCode(ctx, pub, "MQTT-3.3.4-7",
                "PUBLISH number " + (max + 1) + " beyond the Receive Maximum " + max + ": DISCONNECT 0x93 and close",
                Set.of(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED.value()), Outcomes.malformedOrProtocolError());
    }
}
