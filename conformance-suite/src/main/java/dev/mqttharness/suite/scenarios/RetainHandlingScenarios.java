package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.Publish;
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
import java.util.List;
import java.util.Optional;

/**
 * Retain Handling (5.0 §3.3.1.3 with §3.8.3.1): 0 sends retained messages on every SUBSCRIBE, 1 only
 * when the subscription is new, 2 never. Each SUBSCRIBE is followed by a live message on the same
 * topic: what the broker sends for the subscription comes before it, so nothing waits for a timeout.
 */
@ScenarioSuite
class RetainHandlingScenarios {
    private static final String LIVE = "live";

    /** What arrived on {@code topic} after subscribing and before the live message published next. */
    private record Round(List<Publish> retained, boolean liveSeen, String observed) {
    }

    /**
     * One SUBSCRIBE with a live message after it. {@code expected} retained copies are what the spec
     * requires here; a broker may send them after the live message (nothing orders the two), so when
     * fewer have come by then, the rest are waited for, bounded.
     */
    private static Round subscribeRound(ProbeClient sub, ProbeClient pub, String topic, int retainHandling, int round,
                                        int expected) throws IOException {
        sub.subscribe(TopicSubscription.of(topic, QoS.AT_LEAST_ONCE).withRetainHandling(retainHandling));
        String live = LIVE + round;
        pub.publish(Publish.of(topic, live, QoS.AT_LEAST_ONCE, 0, false));
        List<Publish> got = Messages.awaitUntil(sub, topic, x -> !x.retain() && x.payload().toUtf8().equals(live));
        boolean seen = !got.isEmpty() && got.get(got.size() - 1).payload().toUtf8().equals(live);
        List<Publish> before = new ArrayList<>(seen ? got.subList(0, got.size() - 1) : got);
        if (seen) {
            List<Packet> late = sub.barrier();
            before.addAll(Messages.publishes(late, Messages.onTopic(topic)));
            while (before.stream().filter(Publish::retain).count() < expected) {
                Optional<Publish> more = sub.awaitPacket(x -> x instanceof Publish && ((Publish) x).retain()
                        && ((Publish) x).topic().toString().equals(topic), sub.timeout()).map(Publish.class::cast);
                if (more.isEmpty()) {
                    break;
                }
                before.add(more.get());
                got.add(more.get());
            }
        }
        String observed = "Retain Handling " + retainHandling + ", SUBSCRIBE #" + round + ": " + Messages.describe(got)
                + (seen ? "" : "; " + Messages.nothing(sub, "live message"));
        return new Round(before, seen, observed);
    }

    private static ProbeClient retainOne(ScenarioContext ctx, String topic) throws IOException {
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "kept", QoS.AT_LEAST_ONCE, 0, true));
        return pub;
    }

    /** Exactly {@code n} copies of the retained message before the live one (recognised by payload). */
    private static boolean onlyKept(Round r, int n) {
        return r.liveSeen() && r.retained().size() == n
                && r.retained().stream().allMatch(x -> x.payload().toUtf8().equals("kept"));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.1-9", "§3.3.1.3"})
    void retain_handling_0_sends_retained_messages_on_every_subscribe(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("rh0");
        ProbeClient pub = retainOne(ctx, topic);
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        Round first = subscribeRound(sub, pub, topic, 0, 1, 1);
        Round again = subscribeRound(sub, pub, topic, 0, 2, 1);
        ctx.check("MQTT-3.3.1-9", onlyKept(first, 1) && onlyKept(again, 1),
                "Retain Handling 0 sends the retained message on each SUBSCRIBE",
                "the retained 'kept' once after each of the two SUBSCRIBEs",
                first.observed() + " | " + again.observed());
        // §3.3.1.3: messages sent because a subscription was made carry RETAIN 1
        List<Publish> sent = new ArrayList<>(first.retained());
        sent.addAll(again.retained());
        if (sent.isEmpty()) {
            ctx.verdict("§3.3.1.3", Verdict.NOT_TESTED, "retained messages are sent with RETAIN 1",
                    "", "no retained message was sent: " + first.observed());
        } else {
            ctx.check("§3.3.1.3", sent.stream().allMatch(Publish::retain), "retained messages sent on subscribing have RETAIN 1",
                    "RETAIN 1 on each", first.observed() + " | " + again.observed());
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.3.1-10")
    void retain_handling_1_sends_retained_messages_only_for_a_new_subscription(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("rh1");
        ProbeClient pub = retainOne(ctx, topic);
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        Round first = subscribeRound(sub, pub, topic, 1, 1, 1);
        ctx.check("MQTT-3.3.1-10", onlyKept(first, 1), "Retain Handling 1 sends retained messages for a new subscription",
                "the retained 'kept' once", first.observed());
        Round again = subscribeRound(sub, pub, topic, 1, 2, 0);
        ctx.check("MQTT-3.3.1-10", again.liveSeen() && again.retained().isEmpty(),
                "Retain Handling 1 sends no retained messages when the subscription already existed",
                "nothing before the live message", again.observed());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.3.1-11")
    void retain_handling_2_sends_no_retained_messages(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("rh2");
        ProbeClient pub = retainOne(ctx, topic);
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        Round first = subscribeRound(sub, pub, topic, 2, 1, 0);
        Optional<Publish> leaked = first.retained().stream().findFirst();
        ctx.check("MQTT-3.3.1-11", first.liveSeen() && leaked.isEmpty(),
                "Retain Handling 2 sends no retained messages on subscribing", "nothing before the live message",
                first.observed());
    }
}
