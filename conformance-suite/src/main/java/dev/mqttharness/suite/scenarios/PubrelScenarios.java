package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.Optional;

/**
 * PUBREL (§3.6) from the client's side, and the PUBCOMP that answers it (§3.7): reserved flags other
 * than 0010 are malformed; a PUBREL for an identifier the broker does not know (as after a resend) is
 * still answered with a PUBCOMP carrying that identifier. The broker's own PUBRELs are judged in
 * {@link QosFlowScenarios} and {@link RetransmissionScenarios}.
 */
@ScenarioSuite
class PubrelScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.6.1-1")
    @Verifies(version = V5, value = "MQTT-3.6.1-1")
    void pubrel_with_flags_0000_closes_the_connection(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ProbeClient pub = ctx.connect("pub");
        int id = 0x0606;
        pub.send(Publish.of(ctx.topic("rel"), "x", QoS.EXACTLY_ONCE, id, false));
        Optional<PubAck> rec = QosFlowScenarios.nextAck(pub);
        if (!QosFlowScenarios.is(rec, PacketType.PUBREC, id)) {
            // without a PUBREC there is no exchange to release (that failure is MQTT-3.3.4-1's)
            ctx.verdict("MQTT-3.6.1-1", Verdict.NOT_TESTED, "a PUBREL with flags 0000 is refused", "PUBREC id " + id,
                    QosFlowScenarios.describe(rec, pub, "PUBREC"));
            return;
        }
        byte[] bad = RawPacket.withFlags(MqttEncoder.encode(new Pubrel(id), ctx.version()), 0x00);
        pub.sendRaw(bad, "PUBREL(id=" + id + ") with fixed-header flags 0000");
        Outcomes.expectClose(ctx, pub, "MQTT-3.6.1-1", "a PUBREL with flags other than 0010 is malformed: the broker closes",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.3.3-2")
    @Verifies(version = V5, value = {"MQTT-4.3.3-11", "MQTT-3.7.2-1"})
    void pubrel_for_an_unknown_identifier_is_answered_with_pubcomp(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ProbeClient pub = ctx.connect("pub");
        int id = 0x4242;
        // no PUBLISH used this identifier: as when a client re-sends a PUBREL the broker already completed
        pub.send(new Pubrel(id));
        Optional<PubAck> comp = QosFlowScenarios.nextAck(pub);
        String observed = "PUBREL id " + id + " answered by " + QosFlowScenarios.describe(comp, pub, "PUBCOMP");
        boolean ok = QosFlowScenarios.is(comp, PacketType.PUBCOMP, id);
        ctx.check(ctx.v5() ? "MQTT-4.3.3-11" : "MQTT-4.3.3-2", ok, "every PUBREL is answered by a PUBCOMP with its identifier",
                "PUBCOMP id " + id, observed);
        if (ctx.v5()) {
            QosFlowScenarios.judgeCode(ctx, "MQTT-3.7.2-1", comp, PacketType.PUBCOMP, "PUBCOMP uses a PUBCOMP reason code",
                    "0x00 or 0x92 (Packet Identifier not found)", observed);
        }
    }
}
