package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Overlapping subscriptions (5.0 §3.3.4, 3.1.1 §3.3.5): one message matching several of a client's
 * subscriptions reaches it at the highest QoS among them — as one copy or one per subscription —
 * and, in 5.0, with the Subscription Identifiers of the subscriptions it serves. A sentinel
 * published afterwards on the same topic marks when every copy has arrived.
 */
@ScenarioSuite
class OverlappingSubscriptionScenarios {

    /** Copies of the message on {@code topic} before the sentinel, and what the barrier brings after it. */
    private static List<Publish> copies(ProbeClient sub, ProbeClient pub, String topic, Publish message) throws Exception {
        pub.publish(message);
        // the same QoS as the message: ordering holds per topic and QoS (§4.6)
        pub.publish(Publish.of(topic, "sentinel", message.qos(), 0, false));
        List<Publish> got = Messages.awaitUntil(sub, topic, Messages.withPayload("sentinel"));
        got.addAll(Messages.publishes(sub.barrier(), Messages.onTopic(topic)));
        List<Publish> out = new ArrayList<>();
        for (Publish p : got) {
            if (p.payload().equals(message.payload())) {
                out.add(p);
            }
        }
        return out;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.5-1")
    @Verifies(version = V5, value = "MQTT-3.3.4-2")
    void overlapping_subscriptions_deliver_at_the_highest_qos(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        ctx.require(Capability.QOS1);
        QoS top = ctx.capabilities().maximumQos() >= 2 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE;
        String base = ctx.topic("ov");
        String topic = base + "/x";
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        Suback wide = sub.subscribe(base + "/#", QoS.AT_MOST_ONCE);
        Suback exact = sub.subscribe(topic, top);
        int granted = Math.max(wide.reasonCodes().get(0) < 0x80 ? wide.reasonCodes().get(0) : -1,
                exact.reasonCodes().get(0) < 0x80 ? exact.reasonCodes().get(0) : -1);
        ProbeClient pub = ctx.connect("pub");
        List<Publish> got = copies(sub, pub, topic, Publish.of(topic, "both", top, 0, false));
        int best = got.stream().mapToInt(p -> p.qos().value()).max().orElse(-1);
        int expected = Math.min(granted, top.value());
        ctx.check(ctx.v5() ? "MQTT-3.3.4-2" : "MQTT-3.3.5-1", !got.isEmpty() && best == expected,
                "a message matching overlapping subscriptions is delivered at the highest of their QoS",
                "a copy at QoS " + expected + " (subscriptions granted QoS " + wide.reasonCodes() + " and " + exact.reasonCodes() + ")",
                got.size() + " copies: " + Messages.describe(got) + (got.isEmpty() ? "; " + Messages.nothing(sub, "PUBLISH") : ""));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.4-3", "MQTT-3.3.4-4", "MQTT-3.3.4-5"})
    void overlapping_subscriptions_carry_their_subscription_identifiers(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        ctx.require(Capability.SUBSCRIPTION_IDENTIFIERS);
        String base = ctx.topic("sid");
        String topic = base + "/x";
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 11).build(),
                TopicSubscription.of(base + "/#", QoS.AT_LEAST_ONCE));
        sub.subscribe(Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 22).build(),
                TopicSubscription.of(topic, QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        List<Publish> got = copies(sub, pub, topic, Publish.of(topic, "both", QoS.AT_LEAST_ONCE, 0, false));
        TreeSet<Long> union = new TreeSet<>();
        List<List<Long>> perCopy = new ArrayList<>();
        for (Publish p : got) {
            List<Long> ids = p.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER);
            perCopy.add(ids);
            union.addAll(ids);
        }
        String observed = got.size() + " copies with Subscription Identifiers " + perCopy + ": " + Messages.describe(got)
                + (got.isEmpty() ? "; " + Messages.nothing(sub, "PUBLISH") : "");
        TreeSet<Long> both = new TreeSet<>(List.of(11L, 22L));
        ctx.check("MQTT-3.3.4-3", union.equals(both), "the delivery carries the identifiers of the matching subscriptions",
                "identifiers 11 and 22 across the copies", observed);
        if (got.size() == 1) {
            ctx.check("MQTT-3.3.4-4", new TreeSet<>(perCopy.get(0)).equals(both) && perCopy.get(0).size() == 2,
                    "a single copy carries every matching subscription's identifier", "one copy with 11 and 22", observed);
            ctx.verdict("MQTT-3.3.4-5", Verdict.NOT_TESTED, "each copy carries its own subscription's identifier", "",
                    "the broker sent a single copy: " + observed);
        } else if (got.size() == 2) {
            List<String> sorted = new ArrayList<>();
            for (List<Long> ids : perCopy) {
                sorted.add(ids.toString());
            }
            sorted.sort(null);
            ctx.check("MQTT-3.3.4-5", sorted.equals(List.of("[11]", "[22]")),
                    "each copy carries the identifier of the subscription it serves", "one copy with 11, one with 22",
                    observed);
            ctx.verdict("MQTT-3.3.4-4", Verdict.NOT_TESTED, "a single copy carries every identifier", "",
                    "the broker sent one copy per subscription: " + observed);
        } else {
            String why = got.isEmpty() ? "no copy arrived" : "more copies than matching subscriptions";
            ctx.fail("MQTT-3.3.4-4", "one copy, or one per subscription", "1 or 2 copies", why + ": " + observed);
            ctx.fail("MQTT-3.3.4-5", "one copy, or one per subscription", "1 or 2 copies", why + ": " + observed);
        }
    }
}
