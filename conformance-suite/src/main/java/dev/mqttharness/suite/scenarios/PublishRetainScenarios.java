package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.spec.packet.TopicSubscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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
            if (got.isEmpty()) {
                // nothing was sent for the subscription: the flag of such a message cannot be judged (-5 / -6 fail above)
                ctx.verdict("MQTT-3.3.1-8", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED,
                        "RETAIN 1 on a message sent for a new subscription", "RETAIN 1", observed);
            } else {
                ctx.check("MQTT-3.3.1-8", got.get().retain(), "RETAIN 1 on a message sent for a new subscription",
                        "RETAIN 1", observed);
            }
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
        sub.subscribe(TopicSubscription.of(topic, QoS.AT_LEAST_ONCE), TopicSubscription.of(sentinel, QoS.AT_LEAST_ONCE));
        Optional<Publish> s = sub.awaitPublish(sentinel);
        if (s.isEmpty()) {
            ctx.fail(ctx.v5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10", "retained messages are delivered",
                    "the sentinel retained message", "no retained message at all");
            return;
        }
        Optional<Publish> cleared = sub.awaitPublish(topic, Duration.ZERO);
        String observed = cleared.map(PacketFormat::describe).orElse("nothing for the cleared topic");
        ctx.check(ctx.v5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10", cleared.isEmpty(),
                "an empty retained payload removes the retained message", "no message for the cleared topic", observed);
        ctx.check(ctx.v5() ? "MQTT-3.3.1-7" : "MQTT-3.3.1-11",
                cleared.isEmpty() || cleared.get().payload().length() > 0,
                "a zero-byte retained message is not stored", "no zero-byte retained message", observed);
    }

    // ------------------------------------------------------------------ what a new subscription receives

    /** The PUBLISHes matching a subscription, up to a live sentinel published after its SUBACK. */
    private record OnSubscribe(List<Publish> retained, boolean sentinelSeen, String observed, int granted) {
    }

    /**
     * Subscribes {@code sub} with {@code subs}, then has {@code pub} publish a live, non-retained
     * sentinel on {@code sentinelTopic} (which the subscription matches). Whatever the broker sent for
     * the subscription itself came before it; a barrier afterwards catches any straggler.
     */
    private static OnSubscribe subscribeAndCollect(ProbeClient sub, ProbeClient pub, String sentinelTopic,
                                                   TopicSubscription... subs) throws IOException {
        return subscribeAndCollect(sub, pub, sentinelTopic, 0, subs);
    }

    /**
     * As above; {@code expected} retained messages are what the spec requires here. A broker may send
     * retained messages after live traffic (nothing orders them), so when fewer have come by the
     * sentinel, the rest are waited for, bounded.
     */
    private static OnSubscribe subscribeAndCollect(ProbeClient sub, ProbeClient pub, String sentinelTopic, int expected,
                                                   TopicSubscription... subs) throws IOException {
        int granted = sub.subscribe(subs).reasonCodes().get(0);
        pub.publish(Publish.of(sentinelTopic, SENTINEL, QoS.AT_LEAST_ONCE, 0, false));
        List<Publish> got = new ArrayList<>();
        boolean seen = false;
        while (!seen) {
            Optional<Packet> next = sub.awaitPacket(x -> x instanceof Publish, sub.timeout());
            if (next.isEmpty()) {
                break;
            }
            got.add((Publish) next.get());
            seen = SENTINEL_MATCH.test((Publish) next.get());
        }
        if (seen) {
            got.addAll(Messages.publishes(sub.barrier(), x -> true));
            while (got.stream().filter(Publish::retain).count() < expected) {
                Optional<Packet> late = sub.awaitPacket(x -> x instanceof Publish && ((Publish) x).retain(), sub.timeout());
                if (late.isEmpty()) {
                    break;
                }
                got.add((Publish) late.get());
            }
        }
        List<Publish> retained = new ArrayList<>();
        for (Publish x : got) {
            if (!SENTINEL_MATCH.test(x)) {
                retained.add(x);
            }
        }
        String observed = Messages.describe(got) + (seen ? "" : "; " + Messages.nothing(sub, "live sentinel"));
        return new OnSubscribe(retained, seen, observed, granted);
    }

    private static final String SENTINEL = "live-sentinel";
    private static final Predicate<Publish> SENTINEL_MATCH = x -> !x.retain()
            && x.payload().toUtf8().equals(SENTINEL);

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-5")
    @Verifies(version = V5, value = "MQTT-3.3.1-5")
    void newer_retained_message_replaces_the_older_one(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        ctx.require(Capability.QOS1);
        String topic = ctx.topic("r");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "older", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(topic, "newer", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        OnSubscribe seen = subscribeAndCollect(sub, pub, topic, 1, TopicSubscription.of(topic, QoS.EXACTLY_ONCE));
        // the message and its QoS are stored: QoS 1 as published, unless the subscription was granted less
        int qos = Math.min(1, seen.granted());
        boolean ok = seen.sentinelSeen() && seen.retained().size() == 1
                && seen.retained().get(0).payload().toUtf8().equals("newer")
                && seen.retained().get(0).qos().value() == qos;
        ctx.check("MQTT-3.3.1-5", ok, "a retained message replaces the earlier one and keeps its QoS",
                "only 'newer', at QoS " + qos + ", before the live sentinel", seen.observed());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-6")
    @Verifies(version = V5, value = "MQTT-3.3.1-9")
    void retained_messages_of_every_matching_topic_are_sent(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String base = ctx.topic("w");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(base + "/a", "a-old", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(base + "/a", "a-new", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(base + "/b", "b", QoS.AT_MOST_ONCE, 0, true));
        pub.publish(Publish.of(base + "/c/d", "cd", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(ctx.topic("elsewhere"), "x", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        OnSubscribe seen = subscribeAndCollect(sub, pub, base + "/live", 3, TopicSubscription.of(base + "/#", QoS.AT_LEAST_ONCE));
        Set<String> got = new TreeSet<>();
        for (Publish x : seen.retained()) {
            got.add(x.topic() + "=" + x.payload().toUtf8());
        }
        boolean ok = seen.sentinelSeen() && seen.retained().size() == 3
                && got.equals(new TreeSet<>(List.of(base + "/a=a-new", base + "/b=b", base + "/c/d=cd")));
        ctx.check(ctx.v5() ? "MQTT-3.3.1-9" : "MQTT-3.3.1-6", ok,
                "the newest retained message of every matching topic is sent on subscribing",
                "exactly a-new, b and cd, once each", seen.observed());
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-7")
    void retained_qos0_message_replaces_the_retained_message(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("q0");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "qos1-first", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(topic, "qos0-second", QoS.AT_MOST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        // one retained message is expected where the SHOULD is followed: wait for it, so that a late
        // 'qos1-first' would show too
        OnSubscribe seen = subscribeAndCollect(sub, pub, topic, 1, TopicSubscription.of(topic, QoS.AT_LEAST_ONCE));
        boolean first = seen.retained().stream().anyMatch(Messages.withPayload("qos1-first"));
        boolean second = seen.retained().stream().anyMatch(Messages.withPayload("qos0-second"));
        // MUST: the QoS 0 retained message discards the earlier one; SHOULD: it is kept itself; MAY: discarded
        ctx.check("MQTT-3.3.1-7", seen.sentinelSeen() && !first, "a retained QoS 0 message removes the earlier retained message",
                "never 'qos1-first'", seen.observed());
        if (seen.sentinelSeen() && !first) {
            if (second) {
                ctx.pass("MQTT-3.3.1-7", "the retained QoS 0 message is kept", seen.observed());
            } else {
                ctx.nonStrict("MQTT-3.3.1-7", "the retained QoS 0 message is kept", "'qos0-second' as the retained message",
                        seen.observed());
            }
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-12")
    @Verifies(version = V5, value = "MQTT-3.3.1-8")
    void retain_0_publish_leaves_the_retained_message_alone(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("keep");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "retained", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(topic, "not-retained", QoS.AT_LEAST_ONCE, 0, false));
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        OnSubscribe seen = subscribeAndCollect(sub, pub, topic, 1, TopicSubscription.of(topic, QoS.AT_LEAST_ONCE));
        boolean ok = seen.sentinelSeen() && seen.retained().size() == 1
                && seen.retained().get(0).payload().toUtf8().equals("retained");
        ctx.check(ctx.v5() ? "MQTT-3.3.1-8" : "MQTT-3.3.1-12", ok,
                "a RETAIN 0 PUBLISH is not retained and leaves the retained message in place",
                "only 'retained' on subscribing", seen.observed());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-9")
    @Verifies(version = V5, value = {"MQTT-3.3.1-12", "MQTT-3.3.1-13"})
    void retain_flag_on_forwarding_to_existing_subscriptions(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("fwd");
        ProbeClient plain = ctx.connect("plain", b -> b, Messages.autoAck(ctx));
        plain.subscribe(TopicSubscription.of(topic, QoS.AT_LEAST_ONCE));
        ProbeClient asPublished = null;
        if (ctx.v5()) {
            asPublished = ctx.connect("rap", b -> b, Messages.autoAck(ctx));
            asPublished.subscribe(TopicSubscription.of(topic, QoS.AT_LEAST_ONCE).withRetainAsPublished(true));
        }
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "with-retain", QoS.AT_LEAST_ONCE, 0, true));
        pub.publish(Publish.of(topic, "without-retain", QoS.AT_LEAST_ONCE, 0, false));
        List<Publish> toPlain = Messages.await(plain, topic, 2);
        String plainSeen = Messages.describe(toPlain) + (toPlain.size() == 2 ? "" : "; " + Messages.nothing(plain, "second PUBLISH"));
        // MQTT-3.3.1-9 (3.1.1) / MQTT-3.3.1-12 (5.0, Retain As Published 0): live copies carry RETAIN 0
        ctx.check(ctx.v5() ? "MQTT-3.3.1-12" : "MQTT-3.3.1-9",
                toPlain.size() == 2 && toPlain.stream().noneMatch(Publish::retain),
                "messages forwarded to an existing subscription have RETAIN 0", "both copies with RETAIN 0", plainSeen);
        if (asPublished != null) {
            List<Publish> toRap = Messages.await(asPublished, topic, 2);
            boolean ok = toRap.size() == 2
                    && toRap.stream().filter(Publish::retain).allMatch(Messages.withPayload("with-retain"))
                    && toRap.stream().filter(x -> !x.retain()).allMatch(Messages.withPayload("without-retain"))
                    && toRap.stream().anyMatch(Publish::retain);
            ctx.check("MQTT-3.3.1-13", ok, "Retain As Published 1 keeps the publisher's RETAIN flag",
                    "'with-retain' with RETAIN 1, 'without-retain' with RETAIN 0",
                    Messages.describe(toRap) + (toRap.size() == 2 ? "" : "; " + Messages.nothing(asPublished, "second PUBLISH")));
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.3.1-10")
    @Verifies(version = V5, value = "MQTT-3.3.1-6")
    void empty_retained_message_is_forwarded_to_existing_subscribers(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("empty");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "old", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub", b -> b, Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(topic, QoS.AT_LEAST_ONCE));
        pub.publish(Publish.of(topic, "", QoS.AT_LEAST_ONCE, 0, true));
        // the retained 'old' comes first (on subscribing), then the live empty message
        List<Publish> got = Messages.awaitUntil(sub, topic, x -> x.payload().isEmpty());
        boolean ok = !got.isEmpty() && got.get(got.size() - 1).payload().isEmpty();
        ctx.check(ctx.v5() ? "MQTT-3.3.1-6" : "MQTT-3.3.1-10", ok,
                "a retained PUBLISH with an empty payload is forwarded to existing subscribers like any message",
                "the zero-byte message delivered", Messages.describe(got) + (ok ? "" : "; " + Messages.nothing(sub, "empty message")));
    }
}
