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
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Packet Identifiers (3.1.1 §2.3.1, 5.0 §2.2.1): non-zero where present, absent at QoS 0, echoed by acknowledgements. */
@ScenarioSuite
class PacketIdentifierScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-2.3.1-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-2.2.1-3", "MQTT-4.13.1-1", "§4.13.1"})
    void packet_identifier_zero_closes_the_connection(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-2.2.1-3" : "MQTT-2.3.1-1";
        String t = ctx.topic("z");
        Object[][] cases = {
            {"subscribe", Subscribe.of(0, t, QoS.AT_MOST_ONCE)},
            {"unsubscribe", Unsubscribe.of(0, t)},
            {"publish1", new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of(t), 0, Properties.EMPTY, BinaryData.of("x"))},
            {"publish2", new Publish(false, QoS.EXACTLY_ONCE, false, TopicName.of(t), 0, Properties.EMPTY, BinaryData.of("x"))}};
        int maxQos = ctx.capabilities().maximumQos();
        for (Object[] c : cases) {
            Packet packet = (Packet) c[1];
            if (packet instanceof Publish && ((Publish) packet).qos().value() > maxQos) {
                continue; // above the broker's Maximum QoS: refused for that reason instead
            }
            ProbeClient p = ctx.connect((String) c[0]);
            p.sendUnchecked(packet);
            Outcomes.expectClose(ctx, p, List.of(rule, SubscribeScenarios.errorRule(ctx)),
                    PacketFormat.describe(packet) + " with Packet Identifier 0 is refused by closing", Outcomes.malformedOrProtocolError());
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-2.3.1-1")
    @Verifies(version = V5, value = "MQTT-2.2.1-4")
    void the_broker_uses_non_zero_unused_packet_identifiers(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String t = ctx.topic("ids");
        ProbeClient sub = ctx.connect("sub"); // acknowledges as late as the broker lets it: deliveries stay in flight
        sub.subscribe(t, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int n = 6;
        for (int i = 0; i < n; i++) {
            pub.publish(Publish.of(t, "m" + i, i % 2 == 0 ? QoS.AT_LEAST_ONCE : QoS.EXACTLY_ONCE, 0, false));
        }
        Messages.Held held = Messages.collectHoldingAcks(sub, x -> x.topic().toString().equals(t), n, ctx.timeout());
        if (held.got().size() < n) {
            throw new SetupFailed(held.got().size() + " of " + n + " deliveries: " + Messages.describe(held.got()));
        }
        ctx.check(ctx.v5() ? "MQTT-2.2.1-4" : "MQTT-2.3.1-1", held.reused().isEmpty(),
                "QoS 1/2 PUBLISHes from the broker carry non-zero identifiers not in use",
                n + " deliveries with distinct non-zero identifiers while unacknowledged",
                held.reused().isEmpty() ? "distinct identifiers, at most " + held.widest() + " unacknowledged at once"
                        : String.join("; ", held.reused()));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-2.3.1-5")
    @Verifies(version = V5, value = "MQTT-2.2.1-2")
    void a_qos0_publish_carries_no_packet_identifier(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String t0 = ctx.topic("q0");
        String t2 = ctx.topic("q2");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(t0, QoS.AT_MOST_ONCE), TopicSubscription.of(t2, QoS.EXACTLY_ONCE));
        ProbeClient pub = ctx.connect("pub");
        // QoS 0 as published, and QoS 1 / 2 downgraded to QoS 0 by the subscription: an identifier
        // wrongly written after the topic would show up as two extra payload bytes (or a bad 5.0 property length)
        pub.publish(Publish.of(t2, "published-qos0", QoS.AT_MOST_ONCE, 0, false));
        pub.publish(Publish.of(t0, "downgraded-qos1", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(t0, "downgraded-qos2", QoS.EXACTLY_ONCE, 0, false));
        List<Publish> got = new ArrayList<>(Messages.await(sub, t2, 1));
        got.addAll(Messages.await(sub, t0, 2));
        boolean malformed = sub.pending().stream().anyMatch(e -> e instanceof ProbeClient.MalformedEvent);
        // judged on the deliveries that are QoS 0 (a broker that does not downgrade fails MQTT-3.8.4-6/-8, not this)
        List<Publish> qos0 = got.stream().filter(x -> x.qos() == QoS.AT_MOST_ONCE).toList();
        Set<String> allowed = Set.of("published-qos0", "downgraded-qos1", "downgraded-qos2");
        boolean ok = !malformed && qos0.stream().anyMatch(x -> x.payload().toUtf8().equals("published-qos0"))
                && allowed.containsAll(Messages.payloads(qos0));
        ctx.check(ctx.v5() ? "MQTT-2.2.1-2" : "MQTT-2.3.1-5", ok, "a QoS 0 PUBLISH has no Packet Identifier",
                "three QoS 0 deliveries whose payload starts right after the topic name" + (ctx.v5() ? " and properties" : ""),
                malformed ? Messages.nothing(sub, "well-formed PUBLISH") : Messages.describe(got));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-2.3.1-7")
    @Verifies(version = V5, value = "MQTT-2.2.1-6")
    void suback_and_unsuback_carry_the_packet_identifier_they_answer(ScenarioContext ctx) throws Exception {
        String id = ctx.v5() ? "MQTT-2.2.1-6" : "MQTT-2.3.1-7";
        ProbeClient p = ctx.connect("client");
        String t = ctx.topic("echo");
        List<String> seen = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int pid : new int[] {0xBEEF, 1, 0xFFFF, 0x8000}) {
            Optional<Suback> a = Subscriptions.trySubscribe(p, Subscribe.of(pid, t, QoS.AT_MOST_ONCE));
            seen.add(a.map(PacketFormat::describe).orElse("no SUBACK for " + pid));
            if (a.isEmpty()) {
                problems.add("no SUBACK with identifier " + pid + " (" + Messages.describe(p.drainPackets()) + ")");
            }
        }
        for (int pid : new int[] {0xCAFE, 0xFFFF}) {
            Optional<Unsuback> a = Subscriptions.tryUnsubscribe(p, Unsubscribe.of(pid, t));
            seen.add(a.map(PacketFormat::describe).orElse("no UNSUBACK for " + pid));
            if (a.isEmpty()) {
                problems.add("no UNSUBACK with identifier " + pid + " (" + Messages.describe(p.drainPackets()) + ")");
            }
        }
        ctx.check(id, problems.isEmpty(), "SUBACK and UNSUBACK echo the identifier of the packet they answer",
                "SUBACKs for 0xBEEF, 1, 0xFFFF, 0x8000; UNSUBACKs for 0xCAFE, 0xFFFF", problems.isEmpty()
                        ? String.join(", ", seen) : String.join("; ", problems));
    }
}
