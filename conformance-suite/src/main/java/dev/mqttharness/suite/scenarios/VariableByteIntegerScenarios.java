package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.VariableByteInteger;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Variable Byte Integers (5.0 §1.5.5; the Remaining Length of both versions, 3.1.1 §2.2.3): at most
 * four bytes, and in 5.0 always the shortest form, both ways.
 */
@ScenarioSuite
class VariableByteIntegerScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-1.5.5-1")
    void the_broker_encodes_variable_byte_integers_minimally(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        // deliveries whose Remaining Length takes one, two and three bytes, with Subscription Identifiers
        // of one to four bytes where the broker supports them; the probe's decoder refuses any
        // non-minimal form, so every packet that decodes was minimal
        boolean ids = ctx.capabilities().subscriptionIdentifiersAvailable();
        String base = ctx.topic("vbi");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        long[] subIds = {1, 200, 20_000, 2_000_000};
        for (int i = 0; i < subIds.length; i++) {
            Properties props = ids ? Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, subIds[i])) : Properties.EMPTY;
            sub.subscribe(props, TopicSubscription.of(base + "/" + i, QoS.AT_LEAST_ONCE));
        }
        ProbeClient pub = ctx.connect("pub");
        // a broker with a small Maximum Packet Size gets the largest payload it accepts instead
        long max = ctx.capabilities().maximumPacketSize();
        int big = max >= 20_500 ? 20_000 : (int) Math.max(300, max - 300);
        int[] sizes = {0, 200, big, 100};
        for (int i = 0; i < sizes.length; i++) {
            pub.publish(new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of(base + "/" + i), 0, Properties.EMPTY,
                    BinaryData.of(new byte[sizes[i]])));
        }
        List<Publish> got = Messages.await(sub, x -> x.topic().toString().startsWith(base + "/"), sizes.length, sub.timeout());
        boolean malformed = sub.pending().stream().anyMatch(e -> e instanceof ProbeClient.MalformedEvent);
        if (got.size() < sizes.length && !malformed) {
            throw new SetupFailed(got.size() + " of " + sizes.length + " messages arrived: " + Messages.describe(got));
        }
        TreeSet<Integer> lengthBytes = new TreeSet<>();
        TreeSet<Integer> idBytes = new TreeSet<>();
        for (Packet p : Subscriptions.received(ctx, sub, Packet.class)) {
            lengthBytes.add(RawPacket.bodyOffset(MqttEncoder.encodeUnchecked(p, ctx.version())) - 1);
            for (long id : p.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER)) {
                idBytes.add(VariableByteInteger.size((int) id));
            }
        }
        ctx.check("MQTT-1.5.5-1", !malformed && got.size() == sizes.length,
                "every Variable Byte Integer the broker sends is in its shortest form",
                "all packets decode with minimal Remaining Lengths and property integers",
                malformed ? Messages.nothing(sub, "well-formed packet")
                        : "decoded " + Subscriptions.received(ctx, sub, Packet.class).size() + " packets; Remaining Length sizes "
                        + lengthBytes + " bytes" + (ids ? ", Subscription Identifier sizes " + idBytes + " bytes" : ""));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-1.5.5-1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_remaining_length_in_more_bytes_than_needed_is_refused(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        Subscribe sub = Subscribe.of(p.nextPacketId(), ctx.topic("pad"), QoS.AT_MOST_ONCE);
        byte[] body = RawPacket.bodyOf(MqttEncoder.encode(sub, ctx.version()));
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(body).remainingLengthBytes(2).toBytes(), sub,
                "SUBSCRIBE whose Remaining Length " + body.length + " is padded to two bytes");
        Outcomes.expectCloseOrLenient(ctx, p, "MQTT-1.5.5-1", "MQTT-4.13.1-1",
                "a non-minimal Remaining Length is refused", Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-1.5.5-1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_property_length_in_more_bytes_than_needed_is_refused(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // SUBSCRIBE: packet identifier, Property Length 0 written as 0x80 0x00, one filter at QoS 0
        int id = p.nextPacketId();
        ByteWriter w = new ByteWriter().u16(id).vbiPadded(0, 2).utf8(ctx.topic("pad")).u8(0);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("pad"), QoS.AT_MOST_ONCE), "SUBSCRIBE whose Property Length 0 is padded to two bytes");
        Outcomes.expectCloseOrLenient(ctx, p, "MQTT-1.5.5-1", "MQTT-4.13.1-1",
                "a non-minimal Property Length is refused", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"§2.2.3", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"§1.5.5", "MQTT-4.13.1-1", "§4.13.1"})
    void a_remaining_length_of_five_bytes_is_malformed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("ping");
        // PINGREQ with a Remaining Length of 0 spread over five bytes: more than the four allowed
        p.sendRaw(new byte[] {(byte) 0xC0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
                "PINGREQ with a five-byte Remaining Length");
        Outcomes.expectClose(ctx, p, List.of(ctx.v5() ? "§1.5.5" : "§2.2.3", SubscribeScenarios.errorRule(ctx)),
                "a Remaining Length longer than four bytes is malformed", Outcomes.malformedOrProtocolError());
    }
}
