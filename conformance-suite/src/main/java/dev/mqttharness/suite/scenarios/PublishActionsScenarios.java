package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * PUBLISH actions (3.1.1 §3.3.5): a PUBLISH the client is not authorized to make is still answered
 * by the QoS rules, or the connection is closed. Needs a topic the broker refuses, which brokers.yaml
 * names per target ({@code denied-topic}); without one there is nothing to refuse.
 */
@ScenarioSuite
class PublishActionsScenarios {

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.3.5-2")
    void a_publish_the_client_may_not_make_is_acknowledged_or_the_connection_closed(ScenarioContext ctx) throws Exception {
        String topic = ctx.target().deniedTopic();
        if (topic == null) {
            throw new TestAbortedException("brokers.yaml names no denied-topic for " + ctx.target().name()
                    + ": no publication to refuse");
        }
        ctx.require(Capability.QOS1);
        boolean qos2 = ctx.capabilities().maximumQos() >= 2;
        ProbeClient p = ctx.connect("denied");
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        // 3.1.1 PUBACK / PUBREC carry no code: a refusal looks like any acknowledgement, as MQTT-3.3.5-2 wants
        int id1 = p.nextPacketId();
        p.send(Publish.of(topic, "not allowed", QoS.AT_LEAST_ONCE, id1, false));
        Optional<Packet> ack = p.awaitPacket(x -> x instanceof Puback && ((PubAck) x).packetId() == id1, ctx.timeout());
        if (ack.isPresent()) {
            seen.add("QoS 1 answered by " + PacketFormat.describe(ack.get()));
        } else if (p.isClosed()) {
            seen.add("QoS 1 answered by a close (" + p.closedEvent().reason() + ")");
        } else {
            ok = false;
            seen.add("QoS 1: " + Messages.nothing(p, "PUBACK for packet " + id1) + ", and the connection stayed open");
        }
        if (qos2 && !p.isClosed()) {
            int id2 = p.nextPacketId();
            p.send(Publish.of(topic, "not allowed either", QoS.EXACTLY_ONCE, id2, false));
            Optional<Packet> rec = p.awaitPacket(x -> x instanceof Pubrec && ((PubAck) x).packetId() == id2, ctx.timeout());
            if (rec.isPresent()) {
                seen.add("QoS 2 answered by " + PacketFormat.describe(rec.get()));
                p.send(new Pubrel(id2));
                Optional<Packet> comp = p.awaitPacket(x -> x instanceof Pubcomp && ((PubAck) x).packetId() == id2,
                        ctx.timeout());
                seen.add("PUBREL answered by " + comp.map(PacketFormat::describe).orElse(Messages.nothing(p, "PUBCOMP")));
                ok &= comp.isPresent() || p.isClosed();
            } else if (p.isClosed()) {
                seen.add("QoS 2 answered by a close (" + p.closedEvent().reason() + ")");
            } else {
                ok = false;
                seen.add("QoS 2: " + Messages.nothing(p, "PUBREC for packet " + id2) + ", and the connection stayed open");
            }
        }
        ctx.check("MQTT-3.3.5-2", ok, "a PUBLISH the client may not make is acknowledged by the QoS rules, or the connection closed",
                "PUBACK (QoS 1), PUBREC and PUBCOMP (QoS 2) as usual, or a close", "publishing to '" + topic + "': "
                        + String.join("; ", seen));
    }
}
