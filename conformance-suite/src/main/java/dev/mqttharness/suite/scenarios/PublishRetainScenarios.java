package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.Optional;

/** Retained messages (3.1.1 §3.3.1.3, 5.0 §3.3.1.3): stored, replaced, cleared, sent to new subscribers. */
@ScenarioSuite
class PublishRetainScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.1-5", "MQTT-3.3.1-6", "MQTT-3.3.1-8"})
    @Verifies(version = V5, value = {"MQTT-3.3.1-5", "MQTT-3.3.1-9"})
    void retained_message_is_sent_to_a_new_subscriber_with_retain_set(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("r");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "kept", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        Optional<Publish> got = sub.awaitPublish(topic);
        String observed = got.map(PacketFormat::describe).orElse("no PUBLISH within " + ctx.timeout().toMillis() + " ms");
        boolean delivered = got.isPresent() && got.get().payload().toUtf8().equals("kept");
        ctx.check("MQTT-3.3.1-5", delivered, "a retained message is stored",
                "the retained payload 'kept' delivered to a later subscriber", observed);
        ctx.check(ctx.v5() ? "MQTT-3.3.1-9" : "MQTT-3.3.1-6", delivered,
                "retained messages are sent on a new subscription", "the retained message after SUBACK", observed);
        if (!ctx.v5()) {
            ctx.check("MQTT-3.3.1-8", got.map(Publish::retain).orElse(false), "RETAIN 1 on a message sent for a new subscription",
                    "RETAIN 1", observed);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.3.1-10", "MQTT-3.3.1-11"})
    @Verifies(version = V5, value = {"MQTT-3.3.1-6", "MQTT-3.3.1-7"})
    void empty_retained_payload_clears_the_retained_message(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("clear");
        String sentinel = ctx.topic("sentinel");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "old", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(topic, "", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(sentinel, "s", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub");
        // the sentinel's retained message proves retained delivery ran; the cleared topic must send nothing
        sub.subscribe(dev.mqttharness.spec.packet.TopicSubscription.of(topic, QoS.AT_LEAST_ONCE),
                dev.mqttharness.spec.packet.TopicSubscription.of(sentinel, QoS.AT_LEAST_ONCE));
        Optional<Publish> s = sub.awaitPublish(sentinel);
        if (s.isEmpty()) {
            ctx.fail(ctx.v5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10", "retained messages are delivered",
                    "the sentinel retained message", "no retained message at all");
            return;
        }
        Optional<Publish> cleared = sub.awaitPublish(topic, java.time.Duration.ZERO);
        String observed = cleared.map(PacketFormat::describe).orElse("nothing for the cleared topic");
        ctx.check(ctx.v5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10", cleared.isEmpty(),
                "an empty retained payload removes the retained message", "no message for the cleared topic", observed);
        ctx.check(ctx.v5() ? "MQTT-3.3.1-7" : "MQTT-3.3.1-11",
                cleared.isEmpty() || cleared.get().payload().length() > 0,
                "a zero-byte retained message is not stored", "no zero-byte retained message", observed);
    }
}
