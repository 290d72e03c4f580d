package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
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
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maximum Packet Size both ways (5.0 §3.1.2.11.4, §3.2.2.3.6) and the optional properties of
 * acknowledgements that must give way to it (§3.4.2.2 - §3.7.2.2): the broker drops what would
 * exceed the client's limit and carries on; it leaves out a Reason String or User Properties
 * rather than send an oversized PUBACK / PUBREC / PUBREL / PUBCOMP; a client packet above the
 * broker's announced limit is refused with 0x95. The trace checks judge every received packet
 * against the client's limit (MQTT-3.1.2-24).
 */
@ScenarioSuite
class MaximumPacketSizeScenarios {
    /** Largest announced Maximum Packet Size this suite will send a packet beyond. */
    static final long MAX_OVERSIZE_TO_SEND = 16L << 20;

    private static Property maxPacketSize(long n) {
        return Property.number(PropertyId.MAXIMUM_PACKET_SIZE, n);
    }

    private static BinaryData bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return BinaryData.of(b);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-25")
    void messages_above_the_client_maximum_are_dropped_and_the_rest_flows(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String topic = ctx.topic("big");
        int limit = 256;
        // Receive Maximum 1: a dropped QoS 1 message must count as sent and completed, not block the quota
        ProbeClient sub = ctx.connect("sub", b -> b.property(maxPacketSize(limit)).property(
                Property.number(PropertyId.RECEIVE_MAXIMUM, 1)), Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "", QoS.AT_LEAST_ONCE, 0, false).withPayload(bytes(2 * limit)));
        pub.publish(Publish.of(topic, "", QoS.AT_MOST_ONCE, 0, false).withPayload(bytes(2 * limit)));
        pub.publish(Publish.of(topic, "small-1", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(topic, "", QoS.AT_LEAST_ONCE, 0, false).withPayload(bytes(limit)));
        pub.publish(Publish.of(topic, "small-2", QoS.AT_LEAST_ONCE, 0, false));
        List<Publish> got = Messages.awaitUntil(sub, topic, Messages.withPayload("small-2"));
        got.addAll(Messages.publishes(sub.barrier(), Messages.onTopic(topic)));
        List<String> payloads = Messages.payloads(got);
        boolean bigSeen = got.stream().anyMatch(x -> x.payload().length() >= limit);
        String observed = "limit " + limit + " bytes, Receive Maximum 1; received " + Messages.describe(got)
                + (payloads.contains("small-2") ? "" : "; " + Messages.nothing(sub, "'small-2'"));
        ctx.check("MQTT-3.1.2-25", !bigSeen && payloads.equals(List.of("small-1", "small-2")),
                "messages too large for the client are dropped and the session carries on as if they were sent",
                "'small-1' and 'small-2' only", observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.2.2-15")
    void packet_above_the_broker_maximum_is_refused(ScenarioContext ctx) throws Exception {
        long max = ctx.capabilities().maximumPacketSize();
        if (max == Long.MAX_VALUE || max > MAX_OVERSIZE_TO_SEND) {
            ctx.verdict("MQTT-3.2.2-15", Verdict.NOT_TESTED, "a packet above the broker's Maximum Packet Size is refused", "",
                    max == Long.MAX_VALUE ? "the broker announces no Maximum Packet Size"
                            : "the broker's Maximum Packet Size " + max + " is too large to exceed in a scenario");
            return;
        }
        String topic = ctx.topic("over");
        Publish base = Publish.of(topic, "", QoS.AT_LEAST_ONCE, 1, false);
        int overhead = MqttEncoder.size(base, ctx.version());
        // payload so that the whole packet is one byte over (the Remaining Length may take one byte more)
        int payload = (int) (max + 1 - overhead);
        Publish over = base.withPayload(bytes(payload));
        while (MqttEncoder.size(over, ctx.version()) > max + 1) {
            over = base.withPayload(bytes(--payload));
        }
        ProbeClient pub = ctx.connect("pub");
        try {
            pub.send(over);
        } catch (java.io.IOException e) {
            // the broker may close once it has read the fixed header, while the rest is still being written:
            // the close is what is judged below, from the probe's close event
        }
        Outcomes.expectCloseWithCode(ctx, pub, "MQTT-3.2.2-15",
                "a PUBLISH of " + MqttEncoder.size(over, ctx.version()) + " bytes above the announced " + max
                        + ": DISCONNECT 0x95 and close",
                Set.of(ReasonCode.PACKET_TOO_LARGE.value()), Outcomes.malformedOrProtocolError());
    }

    /** One acknowledgement the broker sent under the client's limit, with its size on the wire. */
    private record Ack(String what, Optional<PubAck> ack, int size) {
        boolean fits(long limit) {
            return ack.isPresent() && size >= 0 && size <= limit;
        }

        String describe() {
            return what + ": " + ack.map(a -> PacketFormat.describe(a) + " " + a.properties() + " (" + size + " bytes)")
                    .orElse("none");
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.4.2-2", "MQTT-3.4.2-3", "MQTT-3.5.2-2", "MQTT-3.5.2-3", "MQTT-3.6.2-2",
            "MQTT-3.6.2-3", "MQTT-3.7.2-2", "MQTT-3.7.2-3"})
    void acknowledgements_leave_out_what_exceeds_the_client_maximum(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        // the limit: as small as the broker's own CONNACK and the one PUBLISH this client must receive allow,
        // so an acknowledgement with a Reason String or User Property of any length would exceed it
        ProbeClient measure = ctx.connect("measure");
        Connack connack = ctx.connackOf(measure);
        int connackSize = Messages.receivedSize(ctx, measure, connack);
        measure.disconnect();
        String topic = ctx.topic("m");
        Publish delivery = Publish.of(topic, "x", QoS.EXACTLY_ONCE, 1, false);
        long limit = Math.max(Math.max(connackSize, MqttEncoder.size(delivery, ctx.version())), 8);
        ProbeClient c = ctx.connect("client", b -> b.property(maxPacketSize(limit)));
        String nobody = ctx.topic("nobody");
        List<Ack> acks = new ArrayList<>();

        c.send(Publish.of(nobody, "q1", QoS.AT_LEAST_ONCE, 0x0101, false));
        acks.add(ack(ctx, c, "PUBACK for a QoS 1 PUBLISH nobody receives", PacketType.PUBACK, 0x0101));
        c.send(Publish.of(nobody, "q2", QoS.EXACTLY_ONCE, 0x0102, false));
        acks.add(ack(ctx, c, "PUBREC for a QoS 2 PUBLISH nobody receives", PacketType.PUBREC, 0x0102));
        c.send(new Pubrel(0x0102));
        acks.add(ack(ctx, c, "PUBCOMP for that PUBREL", PacketType.PUBCOMP, 0x0102));
        c.send(new Pubrel(0x0103));
        acks.add(ack(ctx, c, "PUBCOMP for a PUBREL of an unknown identifier", PacketType.PUBCOMP, 0x0103));

        c.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(delivery.withPacketId(0));
        Optional<Publish> got = c.awaitPublish(topic);
        Ack rel = null;
        if (got.isPresent() && got.get().qos() == QoS.EXACTLY_ONCE) {
            c.send(new Pubrec(got.get().packetId()));
            rel = ack(ctx, c, "PUBREL for the client's PUBREC", PacketType.PUBREL, got.get().packetId());
            c.send(new Pubcomp(got.get().packetId()));
        }
        List<String> seen = new ArrayList<>();
        for (Ack a : acks) {
            seen.add(a.describe());
        }
        if (rel != null) {
            seen.add(rel.describe());
        }
        String observed = "client Maximum Packet Size " + limit + " (CONNACK was " + connackSize + " bytes): " + String.join("; ", seen);
        String expected = "the acknowledgement, at most " + limit + " bytes";
        judge(ctx, acks.get(0), limit, List.of("MQTT-3.4.2-2", "MQTT-3.4.2-3"), expected, observed);
        judge(ctx, acks.get(1), limit, List.of("MQTT-3.5.2-2", "MQTT-3.5.2-3"), expected, observed);
        judge(ctx, acks.get(2), limit, List.of("MQTT-3.7.2-2", "MQTT-3.7.2-3"), expected, observed);
        judge(ctx, acks.get(3), limit, List.of("MQTT-3.7.2-2", "MQTT-3.7.2-3"), expected, observed);
        if (rel == null) {
            for (String id : List.of("MQTT-3.6.2-2", "MQTT-3.6.2-3")) {
                ctx.verdict(id, Verdict.NOT_TESTED, "PUBREL within the client's Maximum Packet Size", expected,
                        "no QoS 2 delivery to answer: " + got.map(PacketFormat::describe).orElse(Messages.nothing(c, "PUBLISH")));
            }
        } else {
            judge(ctx, rel, limit, List.of("MQTT-3.6.2-2", "MQTT-3.6.2-3"), expected, observed);
        }
    }

    private static Ack ack(ScenarioContext ctx, ProbeClient c, String what, PacketType type, int id) {
        Optional<PubAck> a = c.awaitPacket(x -> x.type() == type && ((PubAck) x).packetId() == id, c.timeout())
                .map(PubAck.class::cast);
        return new Ack(what, a, a.map(x -> Messages.receivedSize(ctx, c, (Packet) x)).orElse(-1));
    }

    private static void judge(ScenarioContext ctx, Ack a, long limit, List<String> ids, String expected, String observed) {
        for (String id : ids) {
            String check = (id.endsWith("-2") ? "a Reason String" : "User Properties") + " that would exceed the client's "
                    + "Maximum Packet Size are left out: " + a.what();
            if (a.ack().isEmpty()) {
                // no acknowledgement at all breaks the QoS rules (§4.3), not the rule about its optional properties
                ctx.verdict(id, Verdict.NOT_TESTED, check, expected, "no acknowledgement to measure; " + observed);
            } else {
                ctx.check(id, a.fits(limit), check, expected, observed);
            }
        }
    }
}
