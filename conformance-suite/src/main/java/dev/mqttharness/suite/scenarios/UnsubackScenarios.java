package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** UNSUBACK (5.0 §3.11; in 3.1.1 it has no payload): reason codes per filter, in order, within the client's limits. */
@ScenarioSuite
class UnsubackScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.11.3-1", "MQTT-3.11.3-2"})
    void unsuback_codes_are_in_the_order_of_the_filters(ScenarioContext ctx) throws Exception {
        String a = ctx.topic("a");
        String c = ctx.topic("c");
        ProbeClient p = ctx.connect("unsub");
        p.subscribe(TopicSubscription.of(a, QoS.AT_MOST_ONCE), TopicSubscription.of(c, QoS.AT_MOST_ONCE));
        List<String> filters = List.of(a, ctx.topic("b"), c, ctx.topic("d"));
        boolean[] existed = {true, false, true, false};
        Optional<Unsuback> ack = Subscriptions.tryUnsubscribe(p, Unsubscribe.of(p.nextPacketId(), filters.toArray(new String[0])));
        if (ack.isEmpty()) {
            String nothing = Messages.nothing(p, "UNSUBACK");
            java.util.Optional<dev.mqttharness.spec.trace.TraceEvent> malformedEvent = ctx.trace().events().stream()
                    .filter(e -> e.kind() == dev.mqttharness.spec.trace.TraceEvent.Kind.MALFORMED && e.connection().equals(p.name()))
                    .findFirst();
            boolean malformed = malformedEvent.isPresent();
            if (malformed) {
                nothing = "the UNSUBACK did not decode: " + malformedEvent.get().text();
            }
            if (malformed) {
                // an UNSUBACK that does not decode (an undefined code does that) has no order to judge
                ctx.verdict("MQTT-3.11.3-1", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED,
                        "UNSUBACK codes line up with the filters", "an UNSUBACK with 4 codes", nothing);
            } else {
                ctx.fail("MQTT-3.11.3-1", "UNSUBACK codes line up with the filters", "an UNSUBACK with 4 codes", nothing);
            }
            ctx.fail("MQTT-3.11.3-2", "UNSUBACK codes come from the table", "an UNSUBACK", nothing);
            return;
        }
        List<Integer> codes = ack.get().reasonCodes();
        // 0x11 (No subscription existed) at the position of a filter that was subscribed means the
        // codes are out of order (or wrong); an existing filter must not be reported as absent
        List<String> misplaced = new ArrayList<>();
        List<String> undefined = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            int code = codes.get(i);
            if (ReasonCode.of(code, PacketType.UNSUBACK) == null) {
                undefined.add(String.format("0x%02X", code));
            }
            if (i < existed.length && existed[i] && code == ReasonCode.NO_SUBSCRIPTION_EXISTED.value()) {
                misplaced.add("filter " + (i + 1) + " was subscribed but got 0x11");
            }
            if (i < existed.length && !existed[i] && code == ReasonCode.SUCCESS.value() && codes.contains(0x11)) {
                misplaced.add("filter " + (i + 1) + " was never subscribed but got 0x00");
            }
        }
        String observed = PacketFormat.describe(ack.get());
        ctx.check("MQTT-3.11.3-1", misplaced.isEmpty() && codes.size() == filters.size(), "UNSUBACK codes line up with the filters",
                "4 codes: success for filters 1 and 3 (subscribed), not 0x11 there", misplaced.isEmpty() ? observed : observed + " — " + misplaced);
        ctx.check("MQTT-3.11.3-2", undefined.isEmpty(), "UNSUBACK codes come from the Unsubscribe Reason Code table",
                "0x00, 0x11, 0x80, 0x83, 0x87, 0x8F or 0x91", undefined.isEmpty() ? observed : observed + " — undefined " + undefined);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.11.2-1", "MQTT-3.11.2-2"})
    void unsuback_properties_never_exceed_the_client_maximum_packet_size(ScenarioContext ctx) throws Exception {
        // as for SUBACK: a limit this broker's CONNACK fits in, and enough filters (never subscribed,
        // which invites an explanatory Reason String) that an UNSUBACK without properties is exactly that size
        ProbeClient probe = ctx.connect("probe");
        int connackSize = Lifecycle.lastReceivedSize(ctx, probe, PacketType.CONNACK);
        probe.disconnect();
        int limit = Math.max(connackSize + 4, 12);
        int n = limit - 5;
        ProbeClient p = ctx.connect("unsub", b -> b.property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, limit)));
        String[] filters = new String[n];
        for (int i = 0; i < n; i++) {
            filters[i] = ctx.topic("n" + i);
        }
        Optional<Unsuback> ack = Subscriptions.tryUnsubscribe(p, Unsubscribe.of(p.nextPacketId(), filters));
        int size = Lifecycle.lastReceivedSize(ctx, p, PacketType.UNSUBACK);
        String observed = ack.map(a -> size + " bytes (limit " + limit + "): " + PacketFormat.describe(a))
                .orElse(Messages.nothing(p, "UNSUBACK"));
        if (ack.isEmpty()) {
            ctx.fail("MQTT-3.11.2-1", "an UNSUBACK within the client's Maximum Packet Size", "an UNSUBACK of at most " + limit + " bytes", observed);
            ctx.fail("MQTT-3.11.2-2", "an UNSUBACK within the client's Maximum Packet Size", "an UNSUBACK of at most " + limit + " bytes", observed);
            return;
        }
        Outcomes.judgePropertiesLeftOut(ctx, "MQTT-3.11.2-1", "MQTT-3.11.2-2", size, limit, ack.get().properties(),
                "exceed the client's Maximum Packet Size in UNSUBACK", "an UNSUBACK of at most " + limit + " bytes", observed);
    }
}
