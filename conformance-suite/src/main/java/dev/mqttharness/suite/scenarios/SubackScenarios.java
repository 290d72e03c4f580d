package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** SUBACK (3.1.1 and 5.0 §3.9): one code per filter, in order, from the allowed set, within the client's limits. */
@ScenarioSuite
class SubackScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.9.3-1")
    @Verifies(version = V5, value = "MQTT-3.9.3-1")
    void suback_codes_are_in_the_order_of_the_filters(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        List<String> topics = List.of(ctx.topic("o2"), ctx.topic("o0"), ctx.topic("o1"));
        int[] requested = {2, 0, 1};
        Suback ack = sub.subscribe(TopicSubscription.of(topics.get(0), QoS.EXACTLY_ONCE),
                TopicSubscription.of(topics.get(1), QoS.AT_MOST_ONCE), TopicSubscription.of(topics.get(2), QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        for (String t : topics) {
            pub.publish(Publish.of(t, "x", QoS.EXACTLY_ONCE, 0, false));
        }
        // a QoS 2 message comes at the QoS granted to the filter it matched. Codes out of order show as a
        // code above what that filter asked for, or a filter delivering below its code (any reordering of
        // different grants does one or the other); a broker that does not downgrade at all delivers above
        // its codes, which MQTT-3.8.4-6 / -8 judge, not this
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < topics.size() && i < ack.reasonCodes().size(); i++) {
            int code = ack.reasonCodes().get(i);
            if (code >= 0x80) {
                seen.add("filter " + (i + 1) + " refused");
                continue;
            }
            if (code > requested[i]) {
                problems.add("filter " + (i + 1) + " requested QoS " + requested[i] + " but its code says " + code);
            }
            Optional<Publish> got = sub.awaitPublish(topics.get(i));
            seen.add("filter " + (i + 1) + " code " + code + " -> " + got.map(p -> "QoS " + p.qos().value()).orElse("nothing"));
            if (got.isPresent() && got.get().qos().value() < code) {
                problems.add("filter " + (i + 1) + " has code " + code + " but delivers at QoS " + got.get().qos().value());
            }
        }
        ctx.check("MQTT-3.9.3-1", problems.isEmpty(), "SUBACK codes line up with the filters",
                "code i is the QoS granted to filter i (requested 2, 0, 1)",
                PacketFormat.describe(ack) + "; " + String.join("; ", seen) + (problems.isEmpty() ? "" : " — " + problems));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.9.3-2", "MQTT-3.8.4-5"})
    @Verifies(version = V5, value = {"MQTT-3.9.3-2", "MQTT-3.8.4-7", "MQTT-3.8.4-6"})
    void suback_codes_come_from_the_allowed_set(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        ProbeClient sub = ctx.connect("sub");
        String base = ctx.topic("set");
        List<TopicSubscription> subs = List.of(
                TopicSubscription.of(base, QoS.AT_MOST_ONCE),
                TopicSubscription.of(base + "/+", QoS.AT_LEAST_ONCE),
                TopicSubscription.of(base + "/#", QoS.EXACTLY_ONCE),
                TopicSubscription.of("$" + base + "/x", QoS.AT_LEAST_ONCE),
                TopicSubscription.of(base + "/caf\u00e9/\u6f22\u5b57", QoS.EXACTLY_ONCE),
                TopicSubscription.of(base + "//", QoS.AT_MOST_ONCE));
        Suback ack = sub.subscribe(subs.toArray(new TopicSubscription[0]));
        List<String> badCodes = new ArrayList<>();
        List<String> aboveRequest = new ArrayList<>();
        for (int i = 0; i < ack.reasonCodes().size(); i++) {
            int code = ack.reasonCodes().get(i);
            boolean allowed = ctx.v5() ? ReasonCode.of(code, PacketType.SUBACK) != null : ReturnCode311.isSubackCode(code);
            if (!allowed) {
                badCodes.add(String.format("0x%02X", code));
            }
            if (i < subs.size() && code < 0x80 && code > subs.get(i).qos().value()) {
                aboveRequest.add("filter " + (i + 1) + ": requested " + subs.get(i).qos().value() + ", granted " + code);
            }
        }
        String observed = PacketFormat.describe(ack);
        ctx.check("MQTT-3.9.3-2", badCodes.isEmpty(), "only defined SUBACK codes are used",
                ctx.v5() ? "codes from the Subscribe Reason Code table" : "0x00, 0x01, 0x02 or 0x80",
                badCodes.isEmpty() ? observed : observed + " — undefined " + badCodes);
        // 3.1.1 MQTT-3.8.4-5 also asks for one code per filter; in 5.0 that is MQTT-3.8.4-6
        boolean countOk = ctx.v5() || ack.reasonCodes().size() == subs.size();
        if (ctx.v5()) {
            ctx.check("MQTT-3.8.4-6", ack.reasonCodes().size() == subs.size(), "one reason code per Topic Filter",
                    subs.size() + " codes", PacketFormat.describe(ack));
        }
        ctx.check(ctx.v5() ? "MQTT-3.8.4-7" : "MQTT-3.8.4-5", aboveRequest.isEmpty() && countOk,
                "each code is the maximum QoS granted (at most the QoS requested) or a failure",
                subs.size() + " codes, each <= its requested QoS or >= 0x80",
                aboveRequest.isEmpty() ? observed : observed + " — " + aboveRequest);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.9.2-1", "MQTT-3.9.2-2"})
    void suback_properties_never_exceed_the_client_maximum_packet_size(ScenarioContext ctx) throws Exception {
        // the smallest limit this broker's CONNACK fits in, then as many filters as make a SUBACK without
        // properties exactly that size: any Reason String or User Property would push it over
        ProbeClient probe = ctx.connect("probe");
        int connackSize = Lifecycle.lastReceivedSize(ctx, probe, PacketType.CONNACK);
        probe.disconnect();
        int limit = Math.max(connackSize + 4, 12);
        int n = limit - 5; // fixed header 2 + packet identifier 2 + property length 1 + one code per filter
        ProbeClient sub = ctx.connect("sub", b -> b.property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, limit)));
        List<TopicSubscription> subs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subs.add(TopicSubscription.of(ctx.topic("m" + i), QoS.AT_LEAST_ONCE));
        }
        Optional<Suback> ack = Subscriptions.trySubscribe(sub, subs.toArray(new TopicSubscription[0]));
        String observed = ack.map(a -> Lifecycle.lastReceivedSize(ctx, sub, PacketType.SUBACK) + " bytes (limit " + limit + "): "
                + PacketFormat.describe(a)).orElse(Messages.nothing(sub, "SUBACK"));
        if (ack.isEmpty()) {
            ctx.fail("MQTT-3.9.2-1", "a SUBACK within the client's Maximum Packet Size", "a SUBACK of at most " + limit + " bytes", observed);
            ctx.fail("MQTT-3.9.2-2", "a SUBACK within the client's Maximum Packet Size", "a SUBACK of at most " + limit + " bytes", observed);
            return;
        }
        Outcomes.judgePropertiesLeftOut(ctx, "MQTT-3.9.2-1", "MQTT-3.9.2-2", Lifecycle.lastReceivedSize(ctx, sub, PacketType.SUBACK),
                limit, ack.get().properties(), "exceed the client's Maximum Packet Size in SUBACK",
                "a SUBACK of at most " + limit + " bytes", observed);
    }
}
