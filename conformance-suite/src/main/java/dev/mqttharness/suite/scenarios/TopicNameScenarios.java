package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Topic Names (3.1.1 and 5.0 §4.7): no wildcards, not empty, no U+0000, up to 65,535 bytes, matched exactly as sent. */
@ScenarioSuite
class TopicNameScenarios {

    /** 5.0 codes for a refused Topic Name: Malformed Packet, Protocol Error, or the specific Topic Name invalid. */
    static Set<Integer> topicNameCodes() {
        Set<Integer> s = new HashSet<>(Outcomes.malformedOrProtocolError());
        s.add(ReasonCode.TOPIC_NAME_INVALID.value());
        return s;
    }

    /** A QoS 0 PUBLISH to any topic name, valid or not (QoS 0, so that no Maximum QoS gets in the way). */
    static Publish publishTo(TopicName topic) {
        return new Publish(false, QoS.AT_MOST_ONCE, false, topic, 0, Properties.EMPTY, BinaryData.of("x"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.1-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.0-1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_wildcard_in_a_topic_name_closes_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-4.7.0-1" : "MQTT-4.7.1-1";
        for (String wildcard : List.of("+", "#")) {
            ProbeClient p = ctx.connect("pub" + (wildcard.equals("+") ? "Plus" : "Hash"));
            p.sendUnchecked(publishTo(TopicName.unchecked(ctx.topic("w") + "/" + wildcard)));
            Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    "a PUBLISH whose Topic Name contains '" + wildcard + "' is refused by closing", topicNameCodes());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.3-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.3-1", "MQTT-4.13.1-1", "§4.13.1"})
    void an_empty_topic_name_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("pub");
        // in 5.0 an empty Topic Name is allowed only with a Topic Alias; this PUBLISH has none
        p.sendUnchecked(publishTo(TopicName.EMPTY));
        Outcomes.expectClose(ctx, p, List.of("MQTT-4.7.3-1", SubscribeScenarios.errorRule(ctx)),
                "a PUBLISH with a zero-length Topic Name is refused by closing", topicNameCodes());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.3-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.3-2", "MQTT-4.13.1-1", "§4.13.1"})
    void a_null_character_in_a_topic_name_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("pub");
        p.sendUnchecked(publishTo(TopicName.unchecked(ctx.topic("n") + "/a\u0000b")));
        Outcomes.expectClose(ctx, p, List.of("MQTT-4.7.3-2", SubscribeScenarios.errorRule(ctx)),
                "a Topic Name containing U+0000 is refused by closing", topicNameCodes());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.7.3-3")
    @Verifies(version = V5, value = "MQTT-4.7.3-3")
    void a_topic_of_65535_bytes_is_handled_intact(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String prefix = ctx.topic("long");
        StringBuilder sb = new StringBuilder(prefix).append('/');
        while (sb.length() < 65_535) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        String longest = sb.toString(); // ASCII: 65,535 characters, 65,535 bytes
        ProbeClient wild = ctx.connect("wild", UnaryOperator.identity(), Messages.autoAck(ctx));
        wild.subscribe(prefix + "/#", QoS.AT_LEAST_ONCE);
        ProbeClient exact = ctx.connect("exact", UnaryOperator.identity(), Messages.autoAck(ctx));
        Optional<Suback> exactAck = Subscriptions.trySubscribe(exact, TopicSubscription.of(longest, QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(longest, "max", QoS.AT_LEAST_ONCE, 0, false));
        List<String> problems = new ArrayList<>();
        Optional<Publish> viaWild = wild.awaitPublish(longest);
        if (viaWild.isEmpty()) {
            problems.add("the subscriber to " + prefix + "/# got no message with the 65,535-byte topic name intact ("
                    + Messages.describe(wild.drainPackets()) + ")");
        }
        String exactState;
        if (exactAck.isEmpty()) {
            exactState = Messages.nothing(exact, "SUBACK for the 65,535-byte filter");
            problems.add(exactState);
        } else if (exactAck.get().reasonCodes().get(0) >= 0x80) {
            exactState = "65,535-byte filter refused: " + PacketFormat.describe(exactAck.get());
        } else {
            Optional<Publish> viaExact = exact.awaitPublish(longest);
            exactState = "65,535-byte filter granted; " + (viaExact.isPresent() ? "delivered" : "nothing delivered");
            if (viaExact.isEmpty()) {
                problems.add("the granted 65,535-byte filter delivered nothing");
            }
        }
        ctx.check("MQTT-4.7.3-3", problems.isEmpty(), "a Topic Name and a Topic Filter of 65,535 bytes are handled",
                "the 65,535-byte topic delivered intact; the 65,535-byte filter answered (and honoured if granted)",
                problems.isEmpty() ? "delivered intact; " + exactState : String.join("; ", problems));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.7.3-4")
    @Verifies(version = V5, value = "MQTT-4.7.3-4")
    void topics_are_matched_and_forwarded_without_normalisation(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String base = ctx.topic("norm");
        String nfc = base + "/caf\u00e9";      // é as one code point
        String nfd = base + "/cafe\u0301";     // e + combining acute: the same text once normalised
        String mixed = base + "/Case";
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(nfc, QoS.AT_LEAST_ONCE), TopicSubscription.of(mixed, QoS.AT_LEAST_ONCE));
        String other = ctx.topic("raw");
        ProbeClient wild = ctx.connect("wild", UnaryOperator.identity(), Messages.autoAck(ctx));
        wild.subscribe(other + "/#", QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        // variants first, the exact topics last: their arrival orders the check that the variants matched nothing
        for (String t : List.of(nfd, base + "/case", base + "/CASE", nfc, mixed)) {
            pub.publish(Publish.of(t, t.substring(base.length()), QoS.AT_LEAST_ONCE, 0, false));
        }
        // names a normalising broker would alter: decomposed é, the Angstrom sign (NFC: U+00C5), a fullwidth letter
        List<String> odd = List.of(other + "/cafe\u0301", other + "/\u212b", other + "/\uff21");
        for (String t : odd) {
            pub.publish(Publish.of(t, "odd", QoS.AT_LEAST_ONCE, 0, false));
        }
        List<String> problems = new ArrayList<>();
        List<Publish> got = new ArrayList<>();
        for (String exactTopic : List.of(nfc, mixed)) {
            Optional<Publish> x = sub.awaitPublish(exactTopic);
            if (x.isEmpty()) {
                problems.add(Messages.nothing(sub, "message on " + exactTopic));
            } else {
                got.add(x.get());
            }
        }
        List<Packet> extra = sub.barrier();
        if (!extra.isEmpty()) {
            problems.add("variants delivered to the exact subscriptions: " + Messages.describe(extra));
        }
        List<Publish> forwarded = Messages.await(wild, p -> true, odd.size(), wild.timeout());
        Set<String> names = new HashSet<>();
        for (Publish p : forwarded) {
            names.add(p.topic().toString());
        }
        for (String t : odd) {
            if (!names.contains(t)) {
                problems.add("'" + t + "' was not forwarded with its name unchanged (got "
                        + Messages.describe(forwarded) + ")");
            }
        }
        ctx.check("MQTT-4.7.3-4", problems.isEmpty(), "topics are matched and forwarded as sent, never normalised",
                "case and Unicode variants do not match; names forwarded byte for byte",
                problems.isEmpty() ? "only " + Messages.describe(got) + " matched; " + odd.size() + " odd names forwarded intact"
                        : String.join("; ", problems));
    }
}
