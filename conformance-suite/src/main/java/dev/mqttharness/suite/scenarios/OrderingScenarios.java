package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Message ordering (§4.6): with its default configuration a broker treats topics as ordered and
 * forwards one client's messages of a topic and QoS in the order it received them, to subscribers
 * that are connected and to sessions that were offline and get their queue on return. The
 * publisher pipelines each burst (no waiting for acknowledgements between messages), within the
 * broker's Receive Maximum.
 */
@ScenarioSuite
class OrderingScenarios {

    /** Sends {@code n} numbered PUBLISHes back to back, then completes their acknowledgements. */
    private static void burst(ProbeClient pub, String topic, QoS qos, int n) throws IOException {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            int id = qos == QoS.AT_MOST_ONCE ? 0 : pub.nextPacketId();
            pub.send(Publish.of(topic, Integer.toString(i), qos, id, false));
            ids.add(id);
        }
        if (qos == QoS.AT_MOST_ONCE) {
            return;
        }
        Class<? extends PubAck> first = qos == QoS.AT_LEAST_ONCE ? Puback.class
                : Pubrec.class;
        for (int i = 0; i < n; i++) {
            pub.expect(first);
        }
        if (qos == QoS.EXACTLY_ONCE) {
            for (int id : ids) {
                pub.send(new Pubrel(id));
            }
            for (int i = 0; i < n; i++) {
                pub.expect(Pubcomp.class);
            }
        }
    }

    private static List<Integer> numbers(List<Publish> got) {
        List<Integer> out = new ArrayList<>();
        for (String s : Messages.payloads(got)) {
            out.add(Integer.parseInt(s));
        }
        return out;
    }

    private static boolean increasing(List<Integer> seq) {
        for (int i = 1; i < seq.size(); i++) {
            if (seq.get(i) <= seq.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.6.0-5", "MQTT-4.6.0-6"})
    @Verifies(version = V5, value = {"MQTT-4.6.0-5", "MQTT-4.6.0-6"})
    void messages_of_one_publisher_keep_their_order(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        boolean qos2 = ctx.capabilities().maximumQos() >= 2;
        int n = Math.max(1, Math.min(10, ctx.capabilities().receiveMaximum()));
        String t0 = ctx.topic("o0");
        String t1 = ctx.topic("o1");
        String t2 = ctx.topic("o2");
        List<String> reliable = qos2 ? List.of(t1, t2) : List.of(t1);
        ProbeClient offline = ctx.connect("offline", Messages.persistent(ctx, false));
        offline.subscribe(reliable.stream().map(t -> TopicSubscription.of(t, QoS.EXACTLY_ONCE)).toArray(TopicSubscription[]::new));
        offline.disconnect();
        ProbeClient high = ctx.connect("subHigh", b -> b, Messages.autoAck(ctx));
        high.subscribe(TopicSubscription.of(t0, QoS.EXACTLY_ONCE), TopicSubscription.of(t1, QoS.EXACTLY_ONCE),
                TopicSubscription.of(t2, QoS.EXACTLY_ONCE));
        ProbeClient low = ctx.connect("subLow", b -> b, Messages.autoAck(ctx));
        low.subscribe(TopicSubscription.of(t0, QoS.AT_LEAST_ONCE), TopicSubscription.of(t1, QoS.AT_LEAST_ONCE),
                TopicSubscription.of(t2, QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        burst(pub, t1, QoS.AT_LEAST_ONCE, n);
        if (qos2) {
            burst(pub, t2, QoS.EXACTLY_ONCE, n);
        }
        burst(pub, t0, QoS.AT_MOST_ONCE, n);

        // order is judged on what arrived: a message that never came is MQTT-4.5.0-1's business, an inversion is ours
        List<String> wrong = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int compared = 0;
        for (ProbeClient s : List.of(high, low)) {
            for (String t : reliable) {
                List<Integer> got = numbers(Messages.await(s, t, n));
                compared += Math.max(0, got.size() - 1);
                seen.add(s.name() + " " + t.substring(t.lastIndexOf('/') + 1) + " " + got);
                if (!increasing(got)) {
                    wrong.add(s.name() + " on " + t + ": " + got);
                }
            }
            // QoS 0 may lose messages, never reorder them; a loss costs one bounded wait
            List<Integer> got0 = numbers(Messages.await(s, t0, n));
            compared += Math.max(0, got0.size() - 1);
            seen.add(s.name() + " o0 " + got0);
            if (!increasing(got0)) {
                wrong.add(s.name() + " on " + t0 + " (QoS 0): " + got0);
            }
        }
        ProbeClient back = ctx.connect("offlineBack", Messages.resume(ctx, "offline"), Messages.autoAck(ctx));
        for (String t : reliable) {
            List<Integer> got = numbers(Messages.await(back, t, n));
            compared += Math.max(0, got.size() - 1);
            seen.add("queued " + t.substring(t.lastIndexOf('/') + 1) + " " + got);
            if (!increasing(got)) {
                wrong.add("the resumed session on " + t + ": " + got);
            }
        }
        if (compared == 0) {
            for (String id : List.of("MQTT-4.6.0-5", "MQTT-4.6.0-6")) {
                ctx.verdict(id, Verdict.NOT_TESTED, "messages keep their order", "", "too few messages arrived to compare: " + seen);
            }
            return;
        }
        String observed = (wrong.isEmpty() ? "in order: " : "out of order: " + wrong + "; all: ") + seen;
        String expectedText = "0.." + (n - 1) + " in increasing order on each topic, for each subscriber and the queued session";
        ctx.check("MQTT-4.6.0-5", wrong.isEmpty(), ctx.v5()
                ? "messages of one client, topic and QoS are forwarded in the order received"
                : "topics are ordered by default", expectedText, observed);
        ctx.check("MQTT-4.6.0-6", wrong.isEmpty(), ctx.v5()
                ? "topics are ordered by default for non-shared subscriptions"
                : "messages of one client, topic and QoS are forwarded in the order received", expectedText, observed);
    }
}
