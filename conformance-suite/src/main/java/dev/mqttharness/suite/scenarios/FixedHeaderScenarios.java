package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The fixed header's flag bits (3.1.1 §2.2.2, 5.0 §2.1.3) and packet type (3.1.1 §2.2.1, 5.0 §2.1.2). */
@ScenarioSuite
class FixedHeaderScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-2.2.2-1")
    @Verifies(version = V5, value = "MQTT-2.1.3-1")
    void the_broker_sets_the_flag_bits_each_packet_type_requires(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String t = ctx.topic("f");
        // a session that makes the broker send CONNACK, SUBACK, PUBACK, PUBREC, PUBCOMP, PUBLISH at
        // QoS 0/1/2, PUBREL, UNSUBACK and PINGRESP
        ProbeClient p = ctx.connect("client");
        p.subscribe(TopicSubscription.of(t, QoS.EXACTLY_ONCE));
        for (QoS q : QoS.values()) {
            p.publish(Publish.of(t, "q" + q.value(), q, 0, false));
        }
        for (int i = 0; i < 3; i++) {
            Optional<Packet> got = p.awaitPacket(x -> x instanceof Publish, p.timeout());
            if (got.isEmpty()) {
                throw new SetupFailed("own messages did not come back: " + p.pending());
            }
            Publish in = (Publish) got.get();
            if (in.qos() == QoS.AT_LEAST_ONCE) {
                p.send(new Puback(in.packetId()));
            } else if (in.qos() == QoS.EXACTLY_ONCE) {
                p.send(new Pubrec(in.packetId()));
                p.expect(x -> x instanceof Pubrel && ((Pubrel) x).packetId() == in.packetId(), "PUBREL " + in.packetId());
                p.send(new Pubcomp(in.packetId()));
            }
        }
        p.unsubscribe(t);
        p.barrier();
        List<String> wrong = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (TraceEvent e : Subscriptions.receivedEvents(ctx, p)) {
            if (e.bytes().length() == 0 || ((e.bytes().get(0) & 0xFF) >> 4) != e.packet().type().code()) {
                continue; // the bytes of a packet split across reads are not its own: judged by the decoder instead
            }
            int flags = e.bytes().get(0) & 0x0F;
            PacketType type = e.packet().type();
            if (type == PacketType.PUBLISH) {
                Publish x = (Publish) e.packet();
                int expected = (x.dup() ? 0x08 : 0) | (x.qos().value() << 1) | (x.retain() ? 1 : 0);
                seen.add("PUBLISH QoS " + x.qos().value());
                if (flags != expected || ((flags >> 1) & 3) == 3) {
                    wrong.add(String.format("PUBLISH flags %4s", Integer.toBinaryString(flags)).replace(' ', '0'));
                }
            } else {
                seen.add(type.name());
                if (flags != type.requiredFlags()) {
                    wrong.add(type + String.format(" flags %4s", Integer.toBinaryString(flags)).replace(' ', '0'));
                }
            }
        }
        ctx.check(ctx.v5() ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1", wrong.isEmpty() && seen.size() >= 8,
                "every packet the broker sends has the flag bits its type requires",
                "0010 for PUBREL, 0000 for the other non-PUBLISH types, a valid DUP/QoS/RETAIN nibble for PUBLISH",
                "checked " + seen + (wrong.isEmpty() ? "" : "; wrong: " + wrong));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-2.2.2-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-2.1.3-1", "MQTT-4.13.1-1", "§4.13.1"})
    void wrong_flag_bits_from_the_client_close_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-2.1.3-1" : "MQTT-2.2.2-2";
        String t = ctx.topic("f");
        // each packet with flags other than its type requires, on a connection of its own; the PUBREL
        // answers a real PUBREC, so that a broker ignoring the flags would have something to complete
        Object[][] cases = {
            {"pingreq", Pingreq.INSTANCE, 0x1},
            {"puback", new Puback(1), 0x2},
            {"subscribe", Subscribe.of(1, t, QoS.AT_MOST_ONCE), 0x3},
            {"unsubscribe", Unsubscribe.of(1, t), 0x8},
            {"pubrel", new Pubrel(7), 0x0}};
        boolean qos2 = ctx.capabilities().maximumQos() >= 2 && !ctx.target().lacks().contains(Capability.QOS2.key());
        for (Object[] c : cases) {
            Packet packet = (Packet) c[1];
            if (packet instanceof Pubrel && !qos2) {
                continue; // no QoS 2 flow to put it in
            }
            ProbeClient p = ctx.connect((String) c[0]);
            int flags = (Integer) c[2];
            if (packet instanceof Pubrel) {
                p.send(new Publish(false, QoS.EXACTLY_ONCE, false, dev.mqttharness.spec.packet.TopicName.of(t), 7,
                        dev.mqttharness.spec.packet.Properties.EMPTY, dev.mqttharness.spec.packet.BinaryData.of("x")));
                p.expect(x -> x instanceof Pubrec && ((Pubrec) x).packetId() == 7, "PUBREC 7");
            }
            Subscriptions.sendRaw(ctx, p, RawPacket.withFlags(MqttEncoder.encode(packet, ctx.version()), flags), packet,
                    String.format("%s with flags %4s", packet.type(), Integer.toBinaryString(flags)).replace(' ', '0'));
            Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    packet.type() + " with reserved flag bits other than required is malformed", Outcomes.malformedOrProtocolError());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"§2.2.1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"§2.1.2", "MQTT-4.13.1-1", "§4.13.1"})
    void a_reserved_or_server_only_packet_type_closes_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "§2.1.2" : "§2.2.1";
        // type 0 is reserved in both versions, type 15 in 3.1.1 (AUTH in 5.0, so it is not used here);
        // SUBACK (9) only ever flows from Server to Client
        Object[][] cases = {{"type0", new byte[] {0x00, 0x00}, "packet type 0 (reserved)"},
            {"suback", new byte[] {(byte) 0x90, 0x03, 0x00, 0x01, 0x00}, "a SUBACK sent by the client"}};
        List<Object[]> all = new ArrayList<>(List.of(cases));
        if (!ctx.v5()) {
            all.add(new Object[] {"type15", new byte[] {(byte) 0xF0, 0x00}, "packet type 15 (reserved in 3.1.1)"});
        }
        for (Object[] c : all) {
            ProbeClient p = ctx.connect((String) c[0]);
            p.sendRaw((byte[]) c[1], (String) c[2]);
            Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    c[2] + " is refused by closing", Outcomes.malformedOrProtocolError());
        }
    }
}
