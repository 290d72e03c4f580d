package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * DISCONNECT (3.1.1 and 5.0 §3.14): a normal DISCONNECT discards the Will, DISCONNECT 0x04 keeps it,
 * a DISCONNECT that breaks the rules (reserved flags; 5.0: a Session Expiry Interval raised from 0)
 * is no DISCONNECT — the broker closes and the Will is published.
 */
@ScenarioSuite
class DisconnectScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.14.4-3", "MQTT-3.1.2-10"})
    @Verifies(version = V5, value = {"MQTT-3.14.4-3", "MQTT-3.1.2-10", "MQTT-3.1.2-8"})
    void normal_disconnect_discards_the_will(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient c = ctx.connect("leaving", b -> b.will(Will.of(topic, "must not appear", QoS.AT_LEAST_ONCE, false)));
        Lifecycle.disconnect(c);
        // a new connection for the identifier is accepted only after the broker has dealt with the old one
        Lifecycle.disconnect(Lifecycle.reconnect(ctx, "settle", "leaving", UnaryOperator.identity()));
        List<Publish> wills = Lifecycle.sentinel(sub, topic);
        String observed = wills.isEmpty() ? "no Will before the sentinel" : "received " + Lifecycle.describe(wills);
        ctx.check("MQTT-3.14.4-3", wills.isEmpty(), "DISCONNECT discards the Will", "no Will on '" + topic + "'", observed);
        ctx.check("MQTT-3.1.2-10", wills.isEmpty(), "the Will is deleted on DISCONNECT", "no Will on '" + topic + "'", observed);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-8", wills.isEmpty(), "no Will after DISCONNECT 0x00", "no Will on '" + topic + "'", observed);
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-8")
    void disconnect_with_will_message_publishes_the_will(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient c = ctx.connect("leaving", b -> b.will(Will.of(topic, "asked for", QoS.AT_LEAST_ONCE, false)));
        Lifecycle.disconnect(c, Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE), java.time.Duration.ofSeconds(1));
        Optional<Publish> will = sub.awaitPublish(topic);
        ctx.check("MQTT-3.1.2-8", will.isPresent(), "DISCONNECT 0x04 has the Will published",
                "the Will on '" + topic + "'", will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.14.1-1", "MQTT-3.1.2-8"})
    @Verifies(version = V5, value = {"MQTT-3.14.1-1", "MQTT-3.1.2-8", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.14.2-1",
            "MQTT-3.14.2-2", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void disconnect_with_reserved_flags_closes_and_publishes_the_will(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient c = ctx.connect("flags", b -> b.will(Will.of(topic, "invalid disconnect", QoS.AT_LEAST_ONCE, false)));
        byte[] bad = RawPacket.withFlags(MqttEncoder.encode(Disconnect.NORMAL, ctx.version()), 0x01);
        c.sendRaw(bad, "DISCONNECT with reserved flag bit 0 set");
        // MQTT-3.14.1-1: malformed, so the broker closes (5.0: DISCONNECT 0x81 first) — and it was no
        // valid DISCONNECT, so the Will is published (MQTT-3.1.2-8)
        Lifecycle.expectClose(ctx, c, "MQTT-3.14.1-1", "a DISCONNECT with reserved flags set closes the connection",
                Set.of(ReasonCode.MALFORMED_PACKET.value()), Long.MAX_VALUE);
        Optional<Publish> will = sub.awaitPublish(topic);
        ctx.check("MQTT-3.1.2-8", will.isPresent(), "an invalid DISCONNECT does not discard the Will",
                "the Will on '" + topic + "'", will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms"));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.13.1-1", Outcomes.V5_SHOULD_SEND_REASON, "MQTT-3.1.2-8", "MQTT-3.14.2-1",
            "MQTT-3.14.2-2", "MQTT-3.14.4-1", "MQTT-3.14.4-2"})
    void session_expiry_raised_from_zero_on_disconnect_is_a_protocol_error(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        // CONNECT without Session Expiry (0); §3.14.2.2.2: a non-zero value in the DISCONNECT is a Protocol Error
        ProbeClient c = ctx.connect("raise", b -> b.will(Will.of(topic, "invalid disconnect", QoS.AT_LEAST_ONCE, false)));
        c.send(new Disconnect(0, Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60))));
        Lifecycle.expectClose(ctx, c, "MQTT-4.13.1-1", "the Protocol Error closes the connection",
                Set.of(ReasonCode.PROTOCOL_ERROR.value()), Long.MAX_VALUE);
        // not a valid DISCONNECT, so it does not delete the Will
        Optional<Publish> will = sub.awaitPublish(topic);
        ctx.check("MQTT-3.1.2-8", will.isPresent(), "a DISCONNECT treated as a Protocol Error does not discard the Will",
                "the Will on '" + topic + "'", will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms"));
    }
}
