package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.VariableByteInteger;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The SUBSCRIBE side of Subscription Identifiers (5.0 §3.8.2.1.2): a value from 1 to 268,435,455, at
 * most once, stored with the subscriptions the SUBSCRIBE creates or modifies and replaced when the
 * subscription is. (What a PUBLISH carries for several matches is judged with PUBLISH, §3.3.4.)
 */
@ScenarioSuite
class SubscriptionIdentifierScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§3.8.2.1.2", "MQTT-4.13.1-1", "§4.13.1"})
    void subscription_identifier_zero_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SUBSCRIPTION_IDENTIFIERS);
        ProbeClient p = ctx.connect("sub");
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 0)),
                List.of(TopicSubscription.of(ctx.topic("z"), QoS.AT_MOST_ONCE))));
        Outcomes.expectClose(ctx, p, List.of("§3.8.2.1.2", "MQTT-4.13.1-1"), "Subscription Identifier 0 is a Protocol Error",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§3.8.2.1.2", "MQTT-4.13.1-1", "§4.13.1"})
    void two_subscription_identifiers_are_a_protocol_error(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SUBSCRIPTION_IDENTIFIERS);
        ProbeClient p = ctx.connect("sub");
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 1),
                Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 2)), List.of(TopicSubscription.of(ctx.topic("two"), QoS.AT_MOST_ONCE))));
        Outcomes.expectClose(ctx, p, List.of("§3.8.2.1.2", "MQTT-4.13.1-1"), "a Subscription Identifier given twice is a Protocol Error",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§3.8.2.1.2", "MQTT-3.8.4-3"})
    void the_identifier_is_stored_with_the_subscription_and_replaced_with_it(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.SUBSCRIPTION_IDENTIFIERS);
        String t = ctx.topic("id");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        ProbeClient pub = ctx.connect("pub");
        // the same filter three times: identifier 7, then the largest value, then none
        Long[] ids = {7L, (long) VariableByteInteger.MAX_VALUE, null};
        List<String> seen = new ArrayList<>();
        List<List<Long>> carried = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Properties props = ids[i] == null ? Properties.EMPTY : Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, ids[i]));
            var ack = sub.subscribe(props, TopicSubscription.of(t, QoS.AT_LEAST_ONCE));
            if (ack.reasonCodes().get(0) >= 0x80) {
                throw new SetupFailed("subscription " + (i + 1) + " refused: " + PacketFormat.describe(ack));
            }
            pub.publish(Publish.of(t, "m" + i, QoS.AT_LEAST_ONCE, 0, false));
            Optional<Publish> got = sub.awaitPublish(t);
            if (got.isEmpty()) {
                throw new SetupFailed(Messages.nothing(sub, "delivery after subscription " + (i + 1)));
            }
            List<Long> c = got.get().properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER);
            carried.add(c);
            seen.add((ids[i] == null ? "no identifier" : "identifier " + ids[i]) + " -> " + c);
        }
        boolean stored = carried.get(0).equals(List.of(7L)) && carried.get(1).equals(List.of((long) VariableByteInteger.MAX_VALUE));
        // replaced: no identifier of an earlier SUBSCRIBE of the same filter lingers
        boolean replaced = !carried.get(1).contains(7L) && carried.get(2).isEmpty();
        ctx.check("§3.8.2.1.2", stored, "the Subscription Identifier is stored with the subscription (1 to 268,435,455)",
                "deliveries carry 7, then 268435455", String.join("; ", seen));
        ctx.check("MQTT-3.8.4-3", replaced, "re-subscribing replaces the subscription, its identifier included",
                "the identifier of the latest SUBSCRIBE only, and none once subscribed without one", String.join("; ", seen));
    }
}
