package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The No Local subscription option (5.0 §3.8.3.1). */
@ScenarioSuite
class NoLocalScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.8.3-3")
    void no_local_keeps_a_clients_own_messages_from_it(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String t = ctx.topic("nl");
        String sentinel = ctx.topic("s");
        ProbeClient self = ctx.connect("self", UnaryOperator.identity(), Messages.autoAck(ctx));
        self.subscribe(TopicSubscription.of(t, QoS.AT_LEAST_ONCE).withNoLocal(true),
                TopicSubscription.of(sentinel, QoS.AT_LEAST_ONCE));
        ProbeClient other = ctx.connect("other", UnaryOperator.identity(), Messages.autoAck(ctx));
        other.subscribe(t, QoS.AT_LEAST_ONCE);
        self.publish(Publish.of(t, "own", QoS.AT_LEAST_ONCE, 0, false));
        self.publish(Publish.of(sentinel, "s", QoS.AT_LEAST_ONCE, 0, false));
        // the other subscriber shows the message was routed; the sentinel orders the check on self
        Optional<Publish> atOther = other.awaitPublish(t);
        boolean s = self.awaitPublish(sentinel).isPresent();
        Optional<Publish> back = self.awaitPublish(t, Duration.ZERO);
        ctx.check("MQTT-3.8.3-3", atOther.isPresent() && s && back.isEmpty(),
                "No Local: a message is not forwarded to the connection of the client that published it",
                "the other subscriber gets 'own'; the publisher does not",
                "other: " + atOther.map(PacketFormat::describe).orElse("nothing") + "; publisher: "
                        + (s ? back.map(PacketFormat::describe).orElse("nothing before the sentinel") : Messages.nothing(self, "sentinel")));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.8.3-4", "MQTT-4.13.1-1", "§4.13.1"})
    void no_local_on_a_shared_subscription_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        ProbeClient p = ctx.connect("sub");
        String filter = "$share/" + ctx.shareName("g") + "/" + ctx.topic("nl");
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.EMPTY,
                List.of(TopicSubscription.of(filter, QoS.AT_MOST_ONCE).withNoLocal(true))));
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.8.3-4", "MQTT-4.13.1-1"), "No Local on a Shared Subscription is a Protocol Error",
                Outcomes.malformedOrProtocolError());
    }
}
