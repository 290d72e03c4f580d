package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capabilities;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.Optional;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * CONNACK (3.1.1 and 5.0 §3.2): the acknowledgement of a valid CONNECT, its flags, and in 5.0 the
 * capabilities it announces — Maximum QoS, Retain Available, Maximum Packet Size, Topic Alias Maximum
 * — held against what the broker then accepts and refuses, and its size against the client's limit.
 * Statements about brokers with a limit they do not have here are NOT_TESTED, with the reason.
 */
@ScenarioSuite
class ConnackScenarios {
    /** Largest Maximum Packet Size this suite sends a packet above (a bigger limit is not tested). */
    private static final long LARGEST_PROBED_PACKET = 16L << 20;
    /** A Maximum Packet Size for clients the broker disconnects: a Reason String that does not fit must be left out. */
    static final long SMALL_MPS = 64;

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.4-4")
    @Verifies(version = V5, value = {"MQTT-3.1.4-5", "MQTT-3.2.2-1", "MQTT-4.12.0-6"})
    void valid_connect_is_acknowledged_with_success(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.open("ok");
        Optional<Connack> got = p.connect(ctx.connectBuilder("ok").build());
        if (got.isEmpty()) {
            throw new dev.mqttharness.suite.framework.SetupFailed("no CONNACK: " + Messages.nothing(p, "CONNACK"));
        }
        Connack ack = got.get();
        String id = ctx.v5() ? "MQTT-3.1.4-5" : "MQTT-3.1.4-4";
        if (ack.reasonCode() != 0) {
            // a refusal that closes is the broker's right (authorisation, limits); a non-zero code on a
            // connection the broker then serves is an accepted CONNECT acknowledged with the wrong code
            Outcomes.Reaction r = Outcomes.react(p);
            if (r.closed()) {
                ctx.verdict(id, Verdict.NOT_TESTED, "a valid CONNECT is accepted with CONNACK 0x00", "",
                        "the broker refused the client: " + PacketFormat.describe(ack) + ", " + r.description());
                if (ctx.v5()) {
                    ctx.verdict("MQTT-3.2.2-1", Verdict.NOT_TESTED, "CONNACK flags bits 7-1 are 0", "", "refused");
                    ctx.verdict("MQTT-4.12.0-6", Verdict.NOT_TESTED, "no AUTH without an Authentication Method", "", "refused");
                }
                return;
            }
            ctx.fail(id, "an accepted CONNECT is acknowledged with CONNACK 0x00", "CONNACK 0x00 (or a refusal and a close)",
                    PacketFormat.describe(ack) + ", yet " + r.description());
        } else {
            ctx.pass(id, "a valid CONNECT is accepted with CONNACK 0x00", PacketFormat.describe(ack));
        }
        if (ctx.v5()) {
            // the Connect Acknowledge Flags byte as it was on the wire: only bit 0 may be set
            BinaryData raw = Lifecycle.lastReceivedBytes(ctx, p, PacketType.CONNACK);
            int offset = 1 + (raw.length() > 1 && (raw.get(1) & 0x80) != 0 ? 2 : 1);
            int flags = raw.length() > offset ? raw.get(offset) & 0xFF : -1;
            ctx.check("MQTT-3.2.2-1", flags >= 0 && (flags & 0xFE) == 0, "CONNACK flags bits 7-1 are 0",
                    "Connect Acknowledge Flags 0x00 or 0x01", String.format("flags byte 0x%02X in %s", flags, raw.toHex()));
            // a plain CONNECT (no Authentication Method): no method in the CONNACK, no AUTH afterwards
            p.barrier();
            boolean auth = Lifecycle.received(ctx, p).stream().anyMatch(x -> x instanceof dev.mqttharness.spec.packet.Auth);
            ctx.check("MQTT-4.12.0-6", !ack.properties().has(PropertyId.AUTHENTICATION_METHOD) && !auth,
                    "no Authentication Method and no AUTH for a CONNECT without one",
                    "a CONNACK without Authentication Method, no AUTH", PacketFormat.describe(ack) + (auth ? "; then an AUTH" : ""));
        }
        p.disconnect();
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.2.2-9")
    void maximum_qos_announcement_matches_what_is_accepted(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("qos");
        Connack ack = ctx.connackOf(p);
        if (ack.properties().has(PropertyId.MAXIMUM_QOS)) {
            ctx.pass("MQTT-3.2.2-9", "a broker without full QoS support announces Maximum QoS", PacketFormat.describe(ack));
            return;
        }
        // no Maximum QoS: the broker claims QoS 2, so a QoS 2 PUBLISH must be accepted, not refused
        int id = p.nextPacketId();
        p.send(Publish.of(ctx.topic("q2"), "two", QoS.EXACTLY_ONCE, id, false));
        Optional<Packet> rec = p.awaitPacket(x -> x instanceof Pubrec && ((Pubrec) x).packetId() == id, ctx.timeout());
        boolean ok = rec.isPresent() && ((Pubrec) rec.get()).reasonCode() < 0x80;
        String observed = PacketFormat.describe(ack) + "; QoS 2 PUBLISH answered with "
                + rec.map(PacketFormat::describe).orElse(p.isClosed() ? "a close" : "nothing");
        ctx.check("MQTT-3.2.2-9", ok, "a broker that does not announce Maximum QoS accepts QoS 2",
                "a successful PUBREC (else Maximum QoS in the CONNACK)", observed);
        if (rec.isPresent()) {
            p.send(new Pubrel(id));
            p.awaitPacket(x -> x instanceof Pubcomp, ctx.timeout());
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.2.2-10")
    void broker_with_lower_maximum_qos_accepts_subscriptions_at_qos_2(ScenarioContext ctx) throws Exception {
        Capabilities caps = limited(ctx, c -> c.maximumQos() < 2, "Maximum QoS is 2");
        ProbeClient p = ctx.connect("sub");
        Suback s = p.subscribe(ctx.topic("any"), QoS.EXACTLY_ONCE);
        int code = s.reasonCodes().get(0);
        ctx.check("MQTT-3.2.2-10", code <= caps.maximumQos(), "a SUBSCRIBE at QoS 2 is accepted, granted at most Maximum QoS",
                "a granted QoS of at most " + caps.maximumQos(), PacketFormat.describe(s));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-11", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void publish_above_maximum_qos_is_refused(ScenarioContext ctx) throws Exception {
        Capabilities caps = limited(ctx, c -> c.maximumQos() < 2, "Maximum QoS is 2");
        ProbeClient p = ctx.connect("pub", ConnackScenarios::smallPackets);
        QoS above = QoS.of(caps.maximumQos() + 1);
        p.send(Publish.of(ctx.topic("above"), "too high", above, p.nextPacketId(), false));
        Lifecycle.expectClose(ctx, p, "MQTT-3.2.2-11", "a PUBLISH above Maximum QoS closes the connection",
                Set.of(ReasonCode.QOS_NOT_SUPPORTED.value()), SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.2.2-12")
    void will_qos_above_maximum_qos_is_refused(ScenarioContext ctx) throws Exception {
        Capabilities caps = limited(ctx, c -> c.maximumQos() < 2, "Maximum QoS is 2");
        ProbeClient p = ctx.open("will");
        p.send(ctx.connectBuilder("will").will(Will.of(ctx.topic("will"), "w", QoS.of(caps.maximumQos() + 1), false)).build());
        refusedWithCode(ctx, p, "MQTT-3.2.2-12", ReasonCode.QOS_NOT_SUPPORTED, "a Will QoS above Maximum QoS is refused");
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.2.2-13")
    void retained_will_without_retain_support_is_refused(ScenarioContext ctx) throws Exception {
        limited(ctx, c -> !c.retainAvailable(), "Retain Available is 1");
        ProbeClient p = ctx.open("will");
        p.send(ctx.connectBuilder("will").will(Will.of(ctx.topic("will"), "w", QoS.AT_MOST_ONCE, true)).build());
        refusedWithCode(ctx, p, "MQTT-3.2.2-13", ReasonCode.RETAIN_NOT_SUPPORTED, "a retained Will is refused without retain support");
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-14", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void retained_publish_without_retain_support_is_refused(ScenarioContext ctx) throws Exception {
        limited(ctx, c -> !c.retainAvailable(), "Retain Available is 1");
        ProbeClient p = ctx.connect("pub", ConnackScenarios::smallPackets);
        p.send(Publish.of(ctx.topic("r"), "kept?", QoS.AT_MOST_ONCE, 0, true));
        Lifecycle.expectClose(ctx, p, "MQTT-3.2.2-14", "a retained PUBLISH without retain support closes the connection",
                Set.of(ReasonCode.RETAIN_NOT_SUPPORTED.value()), SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-15", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void packet_above_the_broker_maximum_packet_size_is_refused(ScenarioContext ctx) throws Exception {
        Capabilities caps = limited(ctx, c -> c.maximumPacketSize() <= LARGEST_PROBED_PACKET,
                "no Maximum Packet Size up to " + LARGEST_PROBED_PACKET + " bytes is announced");
        ProbeClient p = ctx.connect("big", ConnackScenarios::smallPackets);
        String topic = ctx.topic("big");
        // a PUBLISH one byte above the announced limit
        Publish small = Publish.qos0(topic, "");
        int overhead = dev.mqttharness.spec.codec.MqttEncoder.size(small, ctx.version());
        int payload = (int) (caps.maximumPacketSize() - overhead + 1);
        Publish big = small.withPayload(BinaryData.wrap(new byte[payload]));
        try {
            p.send(big);
        } catch (java.io.IOException e) {
            // the broker may close as soon as it has read the fixed header, while the rest is still being
            // written: the close is what is judged below, from the probe's close event
        }
        Lifecycle.expectClose(ctx, p, "MQTT-3.2.2-15", "a packet above the broker's Maximum Packet Size closes the connection",
                Set.of(ReasonCode.PACKET_TOO_LARGE.value()), SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-17", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void topic_alias_above_the_broker_maximum_is_refused(ScenarioContext ctx) throws Exception {
        Capabilities caps = limited(ctx, c -> c.topicAliasMaximum() > 0 && c.topicAliasMaximum() < 65_535,
                "Topic Alias Maximum is 0 or 65535 (no alias above it exists)");
        ProbeClient p = ctx.connect("alias", ConnackScenarios::smallPackets);
        p.send(Publish.qos0(ctx.topic("alias"), "x")
                .withProperties(Properties.of(Property.number(PropertyId.TOPIC_ALIAS, caps.topicAliasMaximum() + 1))));
        Lifecycle.expectClose(ctx, p, "MQTT-3.2.2-17", "a Topic Alias above the broker's maximum closes the connection",
                Set.of(ReasonCode.TOPIC_ALIAS_INVALID.value()), SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-18", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1", "MQTT-3.14.2-2",
            "MQTT-3.14.2-3", "MQTT-3.14.2-4", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void topic_alias_without_broker_support_is_refused(ScenarioContext ctx) throws Exception {
        limited(ctx, c -> c.topicAliasMaximum() == 0, "the broker announces a Topic Alias Maximum");
        ProbeClient p = ctx.connect("alias", ConnackScenarios::smallPackets);
        p.send(Publish.qos0(ctx.topic("alias"), "x").withProperties(Properties.of(Property.number(PropertyId.TOPIC_ALIAS, 1))));
        Lifecycle.expectClose(ctx, p, "MQTT-3.2.2-18", "a Topic Alias to a broker without aliases closes the connection",
                Set.of(ReasonCode.TOPIC_ALIAS_INVALID.value()), SMALL_MPS);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.2.2-19", "MQTT-3.2.2-20"})
    void refusing_connack_fits_the_client_maximum_packet_size(ScenarioContext ctx) throws Exception {
        // a refusal (unknown Authentication Method) to a client that accepts packets of at most 16 bytes:
        // a Reason String or User Property that does not fit must be left out
        long mps = 16;
        ProbeClient p = ctx.open("tiny");
        p.send(ctx.connectBuilder("tiny")
                .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, mps))
                .property(Property.string(PropertyId.AUTHENTICATION_METHOD, "mh-no-such-method")).build());
        Optional<Connack> ack = p.await(Connack.class);
        if (ack.isEmpty()) {
            throw new TestAbortedException("refused without a CONNACK: nothing to measure");
        }
        int size = Lifecycle.lastReceivedSize(ctx, p, PacketType.CONNACK);
        String observed = size + " bytes: " + PacketFormat.describe(ack.get());
        Outcomes.judgePropertiesLeftOut(ctx, "MQTT-3.2.2-19", "MQTT-3.2.2-20", size, mps, ack.get().properties(),
                "exceed the client's Maximum Packet Size in CONNACK", "at most " + mps + " bytes", observed);
    }

    // ---------------------------------------------------------------- helpers

    /** Announces {@link #SMALL_MPS} as the client's Maximum Packet Size (MQTT-3.14.2-3 / -4 then apply to a DISCONNECT). */
    static dev.mqttharness.spec.packet.Connect.Builder smallPackets(dev.mqttharness.spec.packet.Connect.Builder b) {
        return b.property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, SMALL_MPS));
    }

    /** The target's announced capabilities if {@code applies}; otherwise the scenario is NOT_TESTED: {@code otherwise}. */
    private static Capabilities limited(ScenarioContext ctx, java.util.function.Predicate<Capabilities> applies, String otherwise)
            throws java.io.IOException {
        Capabilities caps = ctx.capabilities();
        if (!applies.test(caps)) {
            throw new TestAbortedException("applies to brokers with other limits: " + otherwise + " here");
        }
        return caps;
    }

    /**
     * Judges a refused CONNECT that the spec says SHOULD carry {@code code}: a close is required, a
     * CONNACK with another code 0x80+ is the weaker allowed alternative, a success is a failure.
     */
    private static void refusedWithCode(ScenarioContext ctx, ProbeClient p, String id, ReasonCode code, String check) {
        Outcomes.Reaction r = Outcomes.react(p);
        Connack ack = Lifecycle.lastReceived(ctx, p, Connack.class);
        String expected = "CONNACK " + String.format("0x%02X", code.value()) + " (or a bare close), then close";
        if (!r.closed() || (ack != null && ack.reasonCode() < 0x80)) {
            ctx.fail(id, check, expected, r.description());
        } else if (ack == null || ack.reasonCode() == code.value()) {
            ctx.pass(id, check, r.description());
        } else {
            ctx.nonStrict(id, check, expected, r.description());
        }
    }
}
