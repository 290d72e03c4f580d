package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.StringPair;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * UTF-8 Encoded Strings (3.1.1 §1.5.3, 5.0 §1.5.4) and String Pairs (5.0 §1.5.7): ill-formed UTF-8,
 * surrogates and U+0000 make a packet malformed; U+FEFF is an ordinary character to keep.
 */
@ScenarioSuite
class Utf8StringScenarios {

    /** {@code prefix} as UTF-8 followed by raw bytes. */
    static byte[] withBytes(String prefix, int... tail) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(p, p.length + tail.length);
        for (int i = 0; i < tail.length; i++) {
            out[p.length + i] = (byte) tail[i];
        }
        return out;
    }

    /** A QoS 0 PUBLISH (no Maximum QoS in the way) to any topic, with {@code props}. */
    static Publish publish(Utf8String topic, Properties props) {
        return new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.unchecked(topic), 0, props, BinaryData.of("x"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-1.5.3-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-1.5.4-1", "MQTT-4.13.1-1", "§4.13.1"})
    void ill_formed_utf8_in_a_string_closes_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1";
        String base = ctx.topic("u") + "/";
        // a lead byte without its continuation, a UTF-16 surrogate (U+D800) encoded in UTF-8, an overlong '/'
        Object[][] cases = {
            {"truncated", withBytes(base, 0xC3, 0x28), "a lead byte followed by a non-continuation byte"},
            {"surrogate", withBytes(base, 0xED, 0xA0, 0x80), "the surrogate U+D800 encoded in UTF-8"},
            {"overlong", withBytes(base, 0xC0, 0xAF), "an overlong two-byte encoding of '/'"}};
        for (Object[] c : cases) {
            ProbeClient p = ctx.connect((String) c[0]);
            p.sendUnchecked(publish(Utf8String.unchecked((byte[]) c[1]), Properties.EMPTY));
            Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    "a Topic Name with " + c[2] + " is malformed", Outcomes.malformedOrProtocolError());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-1.5.3-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-1.5.4-2", "MQTT-4.13.1-1", "§4.13.1"})
    void an_encoded_null_character_closes_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2";
        ProbeClient p = ctx.connect("topic");
        p.sendUnchecked(publish(Utf8String.unchecked(withBytes(ctx.topic("n") + "/a", 0x00, 'b')), Properties.EMPTY));
        Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                "U+0000 in a Topic Name is refused by closing", Outcomes.malformedOrProtocolError());
        if (ctx.v5()) {
            // a string that is not a topic: the value of a User Property
            ProbeClient q = ctx.connect("property");
            Properties props = Properties.of(Property.userProperty(new StringPair(Utf8String.of("k"),
                    Utf8String.unchecked(withBytes("a", 0x00)))));
            q.sendUnchecked(publish(Utf8String.of(ctx.topic("n")), props));
            Outcomes.expectClose(ctx, q, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    "U+0000 in a User Property value is refused by closing", Outcomes.malformedOrProtocolError());
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-1.5.7-1", "MQTT-4.13.1-1", "§4.13.1"})
    void an_ill_formed_string_pair_closes_the_connection(ScenarioContext ctx) throws Exception {
        Object[][] cases = {
            {"name", new StringPair(Utf8String.unchecked(withBytes("k", 0xFF)), Utf8String.of("v")), "an ill-formed name"},
            {"value", new StringPair(Utf8String.of("k"), Utf8String.unchecked(withBytes("v", 0xED, 0xBF, 0xBF))),
                "a value holding the surrogate U+DFFF"}};
        for (Object[] c : cases) {
            ProbeClient p = ctx.connect((String) c[0]);
            p.sendUnchecked(publish(Utf8String.of(ctx.topic("pair")), Properties.of(Property.userProperty((StringPair) c[1]))));
            Outcomes.expectClose(ctx, p, List.of("MQTT-1.5.7-1", "MQTT-4.13.1-1"),
                    "a User Property with " + c[2] + " is malformed", Outcomes.malformedOrProtocolError());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-1.5.3-3")
    @Verifies(version = V5, value = "MQTT-1.5.4-3")
    void zero_width_no_break_space_is_kept_and_forwarded(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        // U+FEFF (EF BB BF) at the start of a level and inside one: neither may be skipped or stripped
        String topic = ctx.topic("bom") + "/\ufeffx/a\ufeffb";
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Publish out = Publish.of(topic, "bom", QoS.AT_LEAST_ONCE, 0, false);
        if (ctx.v5()) {
            out = out.withProperties(Properties.of(Property.userProperty("\ufeffname", "va\ufefflue")));
        }
        pub.publish(out);
        Optional<Publish> got = sub.awaitPublish(topic);
        String observed = got.map(PacketFormat::describe).orElse(Messages.nothing(sub, "message on the exact topic with U+FEFF"));
        List<String> problems = new ArrayList<>();
        if (got.isEmpty()) {
            problems.add("no message on the exact topic (the subscription or the forwarded name lost U+FEFF): " + observed);
        } else if (ctx.v5()) {
            List<StringPair> up = got.get().properties().userProperties();
            if (up.size() != 1 || !up.get(0).name().toString().equals("\ufeffname") || !up.get(0).value().toString().equals("va\ufefflue")) {
                problems.add("User Property not forwarded with its U+FEFF: " + up);
            }
        }
        ctx.check(ctx.v5() ? "MQTT-1.5.4-3" : "MQTT-1.5.3-3", problems.isEmpty(), "U+FEFF is kept in strings",
                "the topic (and 5.0 User Property) forwarded with every EF BB BF in place",
                problems.isEmpty() ? observed : String.join("; ", problems));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-1.5.3-1", "MQTT-1.5.3-2"})
    @Verifies(version = V5, value = {"MQTT-1.5.4-1", "MQTT-1.5.4-2", "MQTT-1.5.7-1"})
    void strings_the_broker_sends_are_well_formed(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        // two-, three- and four-byte characters: a broker that re-encodes them (as CESU-8 surrogates, say)
        // sends ill-formed strings, which the probe's decoder reports
        String topic = ctx.topic("enc") + "/\u00e9/\u6f22\u5b57/\ud83d\ude00";
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(ctx.topic("enc") + "/#", QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Publish out = Publish.of(topic, "enc", QoS.AT_LEAST_ONCE, 0, false);
        if (ctx.v5()) {
            out = out.withProperties(Properties.of(Property.userProperty("\ud83d\ude00", "\u00e9\u6f22")));
        }
        pub.publish(out);
        Optional<Publish> got = sub.awaitPublish(topic);
        String observed = got.map(PacketFormat::describe).orElse(Messages.nothing(sub, "the forwarded message"));
        boolean malformed = sub.pending().stream().anyMatch(e -> e instanceof ProbeClient.MalformedEvent);
        if (got.isEmpty() && !malformed) {
            throw new SetupFailed(observed);
        }
        boolean wellFormed = got.isPresent() && got.get().topic().utf8().isValid();
        boolean pairsWellFormed = wellFormed;
        if (got.isPresent()) {
            for (StringPair sp : got.get().properties().userProperties()) {
                pairsWellFormed &= sp.name().isValid() && sp.value().isValid();
            }
        }
        boolean noNull = got.isPresent() && !got.get().topic().toString().contains("\u0000");
        ctx.check(ctx.v5() ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1", wellFormed, "strings the broker sends are well-formed UTF-8",
                "well-formed UTF-8 without surrogates", observed);
        ctx.check(ctx.v5() ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2", noNull, "strings the broker sends hold no U+0000",
                "no U+0000", observed);
        if (ctx.v5()) {
            ctx.check("MQTT-1.5.7-1", pairsWellFormed, "String Pairs the broker sends are well-formed",
                    "well-formed name and value", observed);
        }
    }
}
