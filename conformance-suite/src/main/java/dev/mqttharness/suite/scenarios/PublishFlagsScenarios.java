package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The PUBLISH fixed header and Topic Name (3.1.1 and 5.0 §3.3.1.1 DUP, §3.3.1.2 QoS, §3.3.2.1
 * Topic Name): DUP set only by the forwarding side's own resends, never on QoS 0; QoS 3 and
 * invalid topic names refused with a close.
 */
@ScenarioSuite
class PublishFlagsScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.1-2", "MQTT-3.3.1-3", "MQTT-4.3.1-1"})
    @Verifies(version = V5, value = {"MQTT-3.3.1-2", "MQTT-3.3.1-3", "MQTT-4.3.1-1"})
    void incoming_dup_flag_is_not_forwarded(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        boolean qos2 = ctx.capabilities().maximumQos() >= 2;
        String topic = ctx.topic("dup");
        ProbeClient high = ctx.connect("subHigh", b -> b, Messages.autoAck(ctx));
        ProbeClient low = ctx.connect("subLow", b -> b, Messages.autoAck(ctx));
        int granted = high.subscribe(topic, qos2 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE).reasonCodes().get(0);
        low.subscribe(topic, QoS.AT_MOST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        // the publisher marks its first (and only) sends as re-deliveries: DUP 1
        pub.publish(Publish.of(topic, "dup-qos1", QoS.AT_LEAST_ONCE, 0, false).withDup(true));
        if (qos2) {
            pub.publish(Publish.of(topic, "dup-qos2", QoS.EXACTLY_ONCE, 0, false).withDup(true));
        }
        int n = qos2 ? 2 : 1;
        List<Publish> toHigh = Messages.await(high, topic, n);
        List<Publish> toLow = Messages.await(low, topic, n);

        // MQTT-3.3.1-3: the copy the broker forwards is its own first send, so DUP 0 whatever the publisher set
        if (granted >= 0x80 || granted == 0) {
            // a broker may grant less than asked; without a QoS>0 subscription there is no QoS>0 copy to look at
            ctx.verdict("MQTT-3.3.1-3", Verdict.NOT_TESTED, "forwarded QoS>0 copies have DUP 0",
                    "a QoS 1 or 2 subscription", "SUBACK granted " + String.format("0x%02X", granted));
        } else {
            boolean ok = toHigh.size() == n && toHigh.stream().noneMatch(Publish::dup);
            ctx.check("MQTT-3.3.1-3", ok, "the incoming DUP flag is not copied to subscribers",
                    n + " forwarded copies with DUP 0", toHigh.size() == n ? Messages.describe(toHigh)
                            : Messages.describe(toHigh) + "; " + Messages.nothing(high, "more PUBLISHes"));
        }
        // MQTT-3.3.1-2 / MQTT-4.3.1-1: downgraded to QoS 0, the copies must have DUP 0 (and no packet identifier);
        // a QoS 0 PUBLISH with DUP 1 does not decode, so it shows up as malformed bytes instead of a copy
        String lowSeen = toLow.size() == n ? Messages.describe(toLow)
                : Messages.describe(toLow) + "; " + Messages.nothing(low, "more PUBLISHes");
        boolean malformed = low.pending().stream().anyMatch(e -> e instanceof ProbeClient.MalformedEvent);
        List<Publish> qos0 = toLow.stream().filter(x -> x.qos() == QoS.AT_MOST_ONCE).toList();
        if (!malformed && qos0.isEmpty()) {
            // no QoS 0 copy to look at (a copy above the granted QoS is the trace checks' business)
            for (String id : List.of("MQTT-3.3.1-2", "MQTT-4.3.1-1")) {
                ctx.verdict(id, Verdict.NOT_TESTED, "QoS 0 copies have DUP 0", "QoS 0 copies", lowSeen);
            }
            return;
        }
        boolean lowOk = !malformed && qos0.stream().noneMatch(Publish::dup);
        ctx.check("MQTT-3.3.1-2", lowOk, "QoS 0 PUBLISHes have DUP 0",
                "QoS 0 copies with DUP 0 for a QoS 0 subscription", lowSeen);
        ctx.check("MQTT-4.3.1-1", lowOk, "a QoS 0 delivery is sent with QoS 0 and DUP 0", "QoS 0 copies with DUP 0", lowSeen);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-4")
    @Verifies(version = V5, value = "MQTT-3.3.1-4")
    void publish_with_qos_3_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient pub = ctx.connect("pub");
        Publish p = Publish.of(ctx.topic("q3"), "x", QoS.AT_LEAST_ONCE, 1, false);
        // both QoS bits set: flags 0110
        byte[] bytes = RawPacket.withFlags(MqttEncoder.encodeUnchecked(p, ctx.version()), 0x06);
        pub.sendRaw(bytes, "PUBLISH with QoS 3 (flags 0110)");
        Outcomes.expectClose(ctx, pub, "MQTT-3.3.1-4", "a PUBLISH with QoS 3 is malformed: the broker closes",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.2-2")
    @Verifies(version = V5, value = "MQTT-3.3.2-2")
    void topic_name_with_wildcards_closes_the_connection(ScenarioContext ctx) throws Exception {
        Set<Integer> codes = Set.of(ReasonCode.MALFORMED_PACKET.value(), ReasonCode.PROTOCOL_ERROR.value(),
                ReasonCode.TOPIC_NAME_INVALID.value());
        for (String wildcard : List.of("+", "#")) {
            String name = wildcard.equals("+") ? "plus" : "hash";
            ProbeClient pub = ctx.connect(name);
            pub.sendUnchecked(new Publish(false, QoS.AT_MOST_ONCE, false,
                    TopicName.unchecked(ctx.topic(name) + "/" + wildcard), 0, Properties.EMPTY, BinaryData.of("w")));
            Outcomes.expectClose(ctx, pub, "MQTT-3.3.2-2", "a Topic Name with '" + wildcard + "' is refused with a close",
                    codes);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.2-1")
    @Verifies(version = V5, value = "MQTT-3.3.2-1")
    void topic_name_with_ill_formed_utf8_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient pub = ctx.connect("pub");
        byte[] prefix = ctx.topic("u").getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(prefix, prefix.length + 2);
        bad[prefix.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        bad[prefix.length + 1] = (byte) 0x28;
        pub.sendUnchecked(new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.unchecked(Utf8String.unchecked(bad)), 0,
                Properties.EMPTY, BinaryData.of("u")));
        Outcomes.expectClose(ctx, pub, "MQTT-3.3.2-1", "a Topic Name that is not UTF-8 is refused with a close",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "§3.3.2.1")
    void empty_topic_name_without_alias_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient pub = ctx.connect("pub");
        pub.sendUnchecked(new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.EMPTY, 0, Properties.EMPTY,
                BinaryData.of("e")));
        // a zero-length Topic Name is only allowed together with a Topic Alias: otherwise a Protocol Error
        Outcomes.expectClose(ctx, pub, "§3.3.2.1", "a zero-length Topic Name without a Topic Alias is a Protocol Error",
                Outcomes.malformedOrProtocolError());
    }
}
