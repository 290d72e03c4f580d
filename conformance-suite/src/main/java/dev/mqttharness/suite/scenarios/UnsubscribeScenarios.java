package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** UNSUBSCRIBE (3.1.1 and 5.0 §3.10): its format rules and what the broker does with it. */
@ScenarioSuite
class UnsubscribeScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.10.1-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.10.1-1", "MQTT-4.13.1-1", "§4.13.1"})
    void unsubscribe_with_reserved_flags_0000_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("unsub");
        Unsubscribe u = Unsubscribe.of(p.nextPacketId(), ctx.topic("t"));
        Subscriptions.sendRaw(ctx, p, RawPacket.withFlags(MqttEncoder.encode(u, ctx.version()), 0x0), u,
                "UNSUBSCRIBE with fixed-header flags 0000 (must be 0010)");
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.10.1-1", SubscribeScenarios.errorRule(ctx)),
                "an UNSUBSCRIBE with flags 0000 is malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.10.3-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.10.3-2", "MQTT-4.13.1-1", "§4.13.1"})
    void unsubscribe_without_a_topic_filter_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("unsub");
        p.sendUnchecked(new Unsubscribe(p.nextPacketId(), Properties.EMPTY, List.of()));
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.10.3-2", SubscribeScenarios.errorRule(ctx)),
                "an UNSUBSCRIBE with no Topic Filter is a protocol violation", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.10.3-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.10.3-1", "MQTT-4.13.1-1", "§4.13.1"})
    void unsubscribe_with_an_ill_formed_utf8_filter_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("unsub");
        byte[] prefix = (ctx.topic("u") + "/").getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        bad[prefix.length] = (byte) 0xFF; // never valid in UTF-8
        p.sendUnchecked(new Unsubscribe(p.nextPacketId(), Properties.EMPTY,
                List.of(TopicFilter.unchecked(Utf8String.unchecked(bad)))));
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.10.3-1", SubscribeScenarios.errorRule(ctx)),
                "a Topic Filter that is not valid UTF-8 makes the UNSUBSCRIBE malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.10.4-1")
    @Verifies(version = V5, value = "MQTT-3.10.4-1")
    void unsubscribe_compares_filters_character_by_character(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String base = ctx.topic("cmp");
        String filter = base + "/+";
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(filter, QoS.AT_LEAST_ONCE));
        // a topic the filter matches, and the filter in other letter case: neither is the filter itself
        sub.unsubscribe(base + "/a", base.toUpperCase(Locale.ROOT) + "/+");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(base + "/a", "kept", QoS.AT_LEAST_ONCE, 0, false));
        Optional<Publish> kept = sub.awaitPublish(base + "/a");
        if (!ctx.check("MQTT-3.10.4-1", kept.isPresent(), "only an identical filter is unsubscribed",
                "the subscription to " + filter + " survives UNSUBSCRIBE of " + base + "/a and of its upper-case form",
                kept.map(PacketFormat::describe).orElse(Messages.nothing(sub, "message")))) {
            return;
        }
        // the identical filter removes it: the sentinel on another subscription orders the check
        String sentinel = ctx.topic("s");
        sub.subscribe(sentinel, QoS.AT_LEAST_ONCE);
        sub.unsubscribe(filter);
        pub.publish(Publish.of(base + "/a", "gone", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(sentinel, "s", QoS.AT_LEAST_ONCE, 0, false));
        boolean s = sub.awaitPublish(sentinel).isPresent();
        Optional<Publish> gone = sub.awaitPublish(base + "/a", java.time.Duration.ZERO);
        ctx.check("MQTT-3.10.4-1", s && gone.isEmpty(), "an identical filter is unsubscribed",
                "nothing on " + base + "/a after UNSUBSCRIBE of " + filter,
                !s ? Messages.nothing(sub, "sentinel") : gone.map(PacketFormat::describe).orElse("nothing before the sentinel"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.10.4-2")
    @Verifies(version = V5, value = "MQTT-3.10.4-2")
    void no_new_messages_after_unsubscribe(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String t = ctx.topic("t");
        String sentinel = ctx.topic("s");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(t, QoS.AT_LEAST_ONCE), TopicSubscription.of(sentinel, QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "before", QoS.AT_LEAST_ONCE, 0, false));
        if (sub.awaitPublish(t).isEmpty()) {
            throw new SetupFailed(Messages.nothing(sub, "message before UNSUBSCRIBE"));
        }
        sub.unsubscribe(t);
        pub.publish(Publish.of(t, "after", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(sentinel, "s", QoS.AT_LEAST_ONCE, 0, false));
        boolean s = sub.awaitPublish(sentinel).isPresent();
        Optional<Publish> after = sub.awaitPublish(t, java.time.Duration.ZERO);
        ctx.check("MQTT-3.10.4-2", s && after.isEmpty(), "no new messages for a deleted subscription",
                "nothing on the unsubscribed topic before the sentinel",
                !s ? Messages.nothing(sub, "sentinel") : after.map(PacketFormat::describe).orElse("nothing"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.10.4-3")
    @Verifies(version = V5, value = "MQTT-3.10.4-3")
    void unsubscribe_completes_a_qos2_delivery_already_started(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String t = ctx.topic("q2");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(t, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "started", QoS.EXACTLY_ONCE, 0, false));
        Publish got = sub.awaitPublish(t).orElseThrow(() -> new SetupFailed(Messages.nothing(sub, "QoS 2 delivery")));
        if (got.qos() != QoS.EXACTLY_ONCE) {
            throw new SetupFailed("the delivery is not QoS 2: " + PacketFormat.describe(got));
        }
        // the broker has started the delivery; unsubscribe before acknowledging anything, then carry on
        sub.unsubscribe(t);
        sub.send(new Pubrec(got.packetId()));
        Optional<Packet> rel = sub.awaitPacket(x -> x instanceof Pubrel && ((Pubrel) x).packetId() == got.packetId(), sub.timeout());
        rel.ifPresent(r -> {
            try {
                sub.send(new Pubcomp(got.packetId()));
            } catch (java.io.IOException ignored) {
                // the verdict is already decided by the PUBREL
            }
        });
        ctx.check("MQTT-3.10.4-3", rel.isPresent(), "a QoS 2 delivery begun before UNSUBSCRIBE is completed",
                "PUBREL " + got.packetId() + " after the PUBREC sent once unsubscribed",
                rel.map(PacketFormat::describe).orElse(Messages.nothing(sub, "PUBREL")));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.10.4-4", "MQTT-3.10.4-5"})
    @Verifies(version = V5, value = {"MQTT-3.10.4-4", "MQTT-3.10.4-5"})
    void unsuback_comes_even_when_nothing_was_unsubscribed(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("unsub");
        int id = 0xBEEF;
        Optional<Unsuback> ack = Subscriptions.tryUnsubscribe(p, Unsubscribe.of(id, ctx.topic("never")));
        String observed = ack.map(PacketFormat::describe).orElse(Messages.nothing(p, "UNSUBACK for packet " + id));
        ctx.check("MQTT-3.10.4-4", ack.isPresent(), "UNSUBSCRIBE is answered with UNSUBACK (same packet identifier)",
                "UNSUBACK for packet " + id, observed);
        ctx.check("MQTT-3.10.4-5", ack.isPresent(), "UNSUBACK even when no subscription was deleted",
                "UNSUBACK for packet " + id + " to an UNSUBSCRIBE of a filter never subscribed", observed);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.10.4-6")
    @Verifies(version = V5, value = "MQTT-3.10.4-6")
    void several_filters_in_one_unsubscribe_are_each_removed(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String a = ctx.topic("a");
        String b = ctx.topic("b") + "/#";
        String c = ctx.topic("c");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(a, QoS.AT_LEAST_ONCE), TopicSubscription.of(b, QoS.AT_LEAST_ONCE),
                TopicSubscription.of(c, QoS.AT_LEAST_ONCE));
        int id = sub.nextPacketId();
        sub.send(Unsubscribe.of(id, a, b));
        // the UNSUBACK may come after a PINGRESP (nothing orders the answers to different requests):
        // wait for it, then use the barrier only to see whether a second one follows
        List<Packet> acks = new java.util.ArrayList<>();
        sub.awaitPacket(x -> x instanceof Unsuback && ((Unsuback) x).packetId() == id, ctx.timeout()).ifPresent(acks::add);
        acks.addAll(sub.barrier());
        long unsubacks = acks.stream().filter(x -> x instanceof Unsuback).count();
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(a, "a", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(ctx.topic("b") + "/x", "b", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(c, "c", QoS.AT_LEAST_ONCE, 0, false));
        // the message for the remaining subscription is the sentinel; whatever else came is collected with it
        List<Publish> got = new java.util.ArrayList<>(Messages.awaitUntil(sub, c, x -> true));
        boolean cArrived = !got.isEmpty();
        got.addAll(Messages.publishes(sub.drainPackets(), x -> true));
        List<Publish> leaked = got.stream().filter(x -> !x.topic().toString().equals(c)).toList();
        ctx.check("MQTT-3.10.4-6", unsubacks == 1 && cArrived && leaked.isEmpty(),
                "an UNSUBSCRIBE of two filters removes both and is answered by one UNSUBACK",
                "one UNSUBACK; then only the message for the remaining subscription",
                unsubacks + " UNSUBACK(s) (" + Messages.describe(acks) + "); then " + Messages.describe(got));
    }
}
