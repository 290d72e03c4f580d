package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.trace.TraceEvent;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Properties (5.0 §2.2.2): the Property Length is always there, identifiers are known and allowed for the packet. */
@ScenarioSuite
class PropertyScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-2.2.2-1")
    void an_empty_property_section_is_sent_as_property_length_zero(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String t = ctx.topic("p");
        ProbeClient p = ctx.connect("client", UnaryOperator.identity(), Messages.autoAck(ctx));
        p.subscribe(TopicSubscription.of(t, QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "no properties", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(t, "", QoS.AT_MOST_ONCE, 0, false));
        if (Messages.await(p, t, 2).size() < 2) {
            throw new SetupFailed(Messages.nothing(p, "two deliveries"));
        }
        p.unsubscribe(t);
        // SUBACK, UNSUBACK and PUBLISH always have a property section: re-encoding the decoded packet (with
        // its Property Length) must give back exactly the bytes the broker sent
        List<String> wrong = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        for (TraceEvent e : Subscriptions.receivedEvents(ctx, p)) {
            PacketType type = e.packet().type();
            if (type != PacketType.SUBACK && type != PacketType.UNSUBACK && type != PacketType.PUBLISH
                    || !e.packet().properties().isEmpty()) {
                continue;
            }
            byte[] sent = e.bytes().toByteArray();
            if (sent.length == 0 || ((sent[0] & 0xFF) >> 4) != type.code()) {
                continue; // split across reads: the decoder judged it
            }
            byte[] again = MqttEncoder.encodeUnchecked(e.packet(), ctx.version());
            checked.add(type.name());
            if (!Arrays.equals(sent, again)) {
                wrong.add(type + " bytes " + e.bytes().toHex() + " differ from " + dev.mqttharness.spec.packet.BinaryData.wrap(again).toHex());
            }
        }
        boolean malformed = p.pending().stream().anyMatch(ev -> ev instanceof ProbeClient.MalformedEvent);
        ctx.check("MQTT-2.2.2-1", wrong.isEmpty() && !malformed && checked.contains("SUBACK") && checked.contains("PUBLISH"),
                "a packet with no properties still carries a Property Length of 0",
                "SUBACK, UNSUBACK and PUBLISH without properties encoded with a zero Property Length",
                malformed ? Messages.nothing(p, "well-formed packet") : "checked " + checked + (wrong.isEmpty() ? "" : "; " + wrong));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-2.2.2-1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_missing_property_length_is_malformed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // the 3.1.1 layout of SUBSCRIBE on a 5.0 connection: no Property Length before the payload
        int id = p.nextPacketId();
        ByteWriter w = new ByteWriter().u16(id).utf8(ctx.topic("nolen")).u8(0);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("nolen"), QoS.AT_MOST_ONCE), "SUBSCRIBE without a Property Length");
        Outcomes.expectClose(ctx, p, List.of("MQTT-2.2.2-1", "MQTT-4.13.1-1"),
                "a SUBSCRIBE without its Property Length is malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§2.2.2.2", "MQTT-4.13.1-1", "§4.13.1"})
    void a_property_the_packet_type_does_not_allow_is_malformed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // Message Expiry Interval belongs to PUBLISH and the Will, never to SUBSCRIBE
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.of(Property.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60)),
                List.of(TopicSubscription.of(ctx.topic("x"), QoS.AT_MOST_ONCE))));
        Outcomes.expectClose(ctx, p, List.of("§2.2.2.2", "MQTT-4.13.1-1"),
                "a property not valid for SUBSCRIBE makes it malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§2.2.2.2", "MQTT-4.13.1-1", "§4.13.1"})
    void an_unknown_property_identifier_is_malformed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // Property Length 2: identifier 0x7F (undefined) and one byte the receiver cannot interpret
        int id = p.nextPacketId();
        ByteWriter w = new ByteWriter().u16(id).vbi(2).u8(0x7F).u8(0x01).utf8(ctx.topic("x")).u8(0);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("x"), QoS.AT_MOST_ONCE), "SUBSCRIBE with property identifier 0x7F");
        Outcomes.expectClose(ctx, p, List.of("§2.2.2.2", "MQTT-4.13.1-1"),
                "an undefined property identifier makes the packet malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§2.2.2.1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_property_length_beyond_the_packet_is_malformed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // Property Length 100 in a packet with 20-odd bytes left
        int id = p.nextPacketId();
        ByteWriter w = new ByteWriter().u16(id).vbi(100).utf8(ctx.topic("x")).u8(0);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("x"), QoS.AT_MOST_ONCE), "SUBSCRIBE whose Property Length runs past its end");
        Outcomes.expectClose(ctx, p, List.of("§2.2.2.1", "MQTT-4.13.1-1"),
                "a Property Length longer than the rest of the packet is malformed", Outcomes.malformedOrProtocolError());
    }
}
