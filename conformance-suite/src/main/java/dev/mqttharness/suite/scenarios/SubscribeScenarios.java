package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** SUBSCRIBE (3.1.1 and 5.0 §3.8): its fixed header and payload rules, and what the broker does with it. */
@ScenarioSuite
class SubscribeScenarios {

    /** The generic rule a broker follows on a protocol violation: 3.1.1 MQTT-4.8.0-1, 5.0 MQTT-4.13.1-1. */
    static String errorRule(ScenarioContext ctx) {
        return ctx.v5() ? "MQTT-4.13.1-1" : "MQTT-4.8.0-1";
    }

    /** The variable header of a SUBSCRIBE: packet identifier, then (5.0) an empty property list. */
    static ByteWriter subscribeHeader(ScenarioContext ctx, int packetId) {
        ByteWriter w = new ByteWriter().u16(packetId);
        return ctx.v5() ? w.vbi(0) : w;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-1")
    @Verifies(version = V5, value = "MQTT-3.8.4-1")
    void every_subscribe_is_answered_with_a_suback(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        String t = ctx.topic("a");
        // a plain filter, a wildcard filter (where the broker has them), two filters at once, and the same
        // filter again (a replacement)
        List<List<TopicSubscription>> requests = new ArrayList<>();
        requests.add(List.of(TopicSubscription.of(t, QoS.AT_MOST_ONCE)));
        if (ctx.capabilities().wildcardAvailable() && !ctx.target().lacks().contains(Capability.WILDCARD_SUBSCRIPTIONS.key())) {
            requests.add(List.of(TopicSubscription.of(ctx.topic("w") + "/+/#", QoS.AT_LEAST_ONCE)));
        }
        requests.add(List.of(TopicSubscription.of(ctx.topic("b"), QoS.EXACTLY_ONCE), TopicSubscription.of(ctx.topic("c"), QoS.AT_MOST_ONCE)));
        requests.add(List.of(TopicSubscription.of(t, QoS.AT_LEAST_ONCE)));
        List<String> seen = new ArrayList<>();
        for (List<TopicSubscription> r : requests) {
            Optional<Suback> ack = Subscriptions.trySubscribe(p, r.toArray(new TopicSubscription[0]));
            if (ack.isEmpty()) {
                ctx.fail("MQTT-3.8.4-1", "every SUBSCRIBE gets a SUBACK", "a SUBACK for each of " + requests.size()
                        + " SUBSCRIBEs", "after " + seen + ": " + Messages.nothing(p, "SUBACK for " + r));
                return;
            }
            seen.add(PacketFormat.describe(ack.get()));
        }
        ctx.pass("MQTT-3.8.4-1", "every SUBSCRIBE gets a SUBACK", String.join(", ", seen));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.8.1-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.8.1-1", "MQTT-4.13.1-1", "§4.13.1"})
    void subscribe_with_reserved_flags_0000_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        Subscribe sub = Subscribe.of(p.nextPacketId(), ctx.topic("t"), QoS.AT_MOST_ONCE);
        Subscriptions.sendRaw(ctx, p, RawPacket.withFlags(MqttEncoder.encode(sub, ctx.version()), 0x0), sub,
                "SUBSCRIBE with fixed-header flags 0000 (must be 0010)");
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.8.1-1", errorRule(ctx)), "a SUBSCRIBE with flags 0000 is malformed",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.8.3-3", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.8.3-2", "MQTT-4.13.1-1", "§4.13.1"})
    void subscribe_without_a_topic_filter_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.EMPTY, List.of()));
        Outcomes.expectClose(ctx, p, List.of(ctx.v5() ? "MQTT-3.8.3-2" : "MQTT-3.8.3-3", errorRule(ctx)),
                "a SUBSCRIBE with no Topic Filter is a protocol violation", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.8.3-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.8.3-1", "MQTT-4.13.1-1", "§4.13.1"})
    void subscribe_with_an_ill_formed_utf8_filter_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // the filter's last level is 0xC3 0x28: a lead byte followed by a byte that is no continuation byte
        byte[] prefix = (ctx.topic("u") + "/").getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(prefix, prefix.length + 2);
        bad[prefix.length] = (byte) 0xC3;
        bad[prefix.length + 1] = (byte) 0x28;
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.EMPTY, List.of(new TopicSubscription(
                TopicFilter.unchecked(Utf8String.unchecked(bad)), QoS.AT_MOST_ONCE, false, false, 0))));
        Outcomes.expectClose(ctx, p, List.of("MQTT-3.8.3-1", errorRule(ctx)),
                "a Topic Filter that is not valid UTF-8 makes the SUBSCRIBE malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.8.3-4", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"§3.8.3.1", "MQTT-4.13.1-1", "§4.13.1"})
    void requested_qos_3_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        int id = p.nextPacketId();
        ByteWriter w = subscribeHeader(ctx, id).utf8(ctx.topic("q3")).u8(0x03);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("q3"), QoS.EXACTLY_ONCE), "SUBSCRIBE requesting QoS 3");
        // 3.1.1: malformed (MQTT-3.8.3-4); 5.0: a Maximum QoS of 3 is a Protocol Error (§3.8.3.1)
        Outcomes.expectClose(ctx, p, List.of(ctx.v5() ? "§3.8.3.1" : "MQTT-3.8.3-4", errorRule(ctx)),
                "a requested QoS of 3 is refused by closing", Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.8.3-4", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.8.3-5", "MQTT-4.13.1-1", "§4.13.1"})
    void reserved_subscription_option_bits_close_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        // bit 6 set, QoS 0: reserved in both versions (3.1.1 reserves bits 2-7, 5.0 bits 6-7)
        int id = p.nextPacketId();
        ByteWriter w = subscribeHeader(ctx, id).utf8(ctx.topic("r")).u8(0x40);
        Subscriptions.sendRaw(ctx, p, RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes(),
                Subscribe.of(id, ctx.topic("r"), QoS.AT_MOST_ONCE), "SUBSCRIBE with options byte 0x40 (reserved bit 6)");
        Outcomes.expectClose(ctx, p, List.of(ctx.v5() ? "MQTT-3.8.3-5" : "MQTT-3.8.3-4", errorRule(ctx)),
                "a reserved Subscription Options bit makes the SUBSCRIBE malformed", Outcomes.malformedOrProtocolError());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"§3.8.3.1", "MQTT-4.13.1-1", "§4.13.1"})
    void retain_handling_3_closes_the_connection(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("sub");
        p.sendUnchecked(new Subscribe(p.nextPacketId(), Properties.EMPTY,
                List.of(TopicSubscription.of(ctx.topic("rh"), QoS.AT_MOST_ONCE).withRetainHandling(3))));
        Outcomes.expectClose(ctx, p, List.of("§3.8.3.1", "MQTT-4.13.1-1"), "Retain Handling 3 is a Protocol Error",
                Outcomes.malformedOrProtocolError());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-3")
    @Verifies(version = V5, value = "MQTT-3.8.4-3")
    void an_identical_filter_replaces_the_subscription(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        // "up": QoS 0, then QoS 2 on the same filter; "down": QoS 2, then QoS 1; "control": QoS 1 once.
        // A QoS 2 message must come once per filter, at the grant of the replacing subscription. The
        // control tells whether the broker downgrades at all: if it does not (MQTT-3.8.4-6 / -8 judge
        // that), "down" says nothing about replacement and is left out.
        String up = ctx.topic("up");
        String down = ctx.topic("down");
        String control = ctx.topic("ctl");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(up, QoS.AT_MOST_ONCE), TopicSubscription.of(down, QoS.EXACTLY_ONCE));
        Suback second = sub.subscribe(TopicSubscription.of(up, QoS.EXACTLY_ONCE), TopicSubscription.of(down, QoS.AT_LEAST_ONCE),
                TopicSubscription.of(control, QoS.AT_LEAST_ONCE));
        for (int code : second.reasonCodes()) {
            if (code >= 0x80) {
                throw new SetupFailed("a replacing subscription was refused: " + PacketFormat.describe(second));
            }
        }
        ProbeClient pub = ctx.connect("pub");
        for (String t : List.of(up, down, control)) {
            pub.publish(Publish.of(t, "one", QoS.EXACTLY_ONCE, 0, false));
            pub.publish(Publish.of(t, "last", QoS.AT_MOST_ONCE, 0, false));
        }
        // everything routed for "one" is on its way before "last"; the barrier takes any copy still in flight
        java.util.Map<String, List<Publish>> byTopic = new java.util.HashMap<>();
        for (String t : List.of(up, down, control)) {
            byTopic.put(t, Messages.awaitUntil(sub, t, Messages.withPayload("last")));
        }
        for (Publish x : Messages.publishes(sub.barrier(), x -> byTopic.containsKey(x.topic().toString()))) {
            byTopic.get(x.topic().toString()).add(x);
        }
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        boolean downgrades = true;
        for (int i = 2; i >= 0; i--) { // the control first
            String t = List.of(up, down, control).get(i);
            int expectedQos = Math.min(2, second.reasonCodes().get(i));
            List<Publish> got = byTopic.get(t);
            List<Publish> ones = Messages.publishes(new ArrayList<>(got), Messages.withPayload("one"));
            String qos = ones.isEmpty() ? "none" : ones.stream().map(x -> "QoS " + x.qos().value()).toList().toString();
            if (i == 2) {
                downgrades = ones.size() == 1 && ones.get(0).qos().value() == expectedQos;
                seen.add("control: " + qos);
                continue;
            }
            String name = i == 0 ? "QoS 0 -> 2" : "QoS 2 -> 1";
            seen.add(name + ": " + qos);
            if (i == 1 && !downgrades) {
                seen.add("(not judged: the broker does not downgrade)");
                continue;
            }
            if (ones.size() != 1 || ones.get(0).qos().value() != expectedQos) {
                problems.add(name + ": expected one copy at QoS " + expectedQos + ", got " + qos);
            }
        }
        ctx.check("MQTT-3.8.4-3", problems.isEmpty(), "re-subscribing to an identical filter replaces the subscription",
                "one copy of a QoS 2 message per filter, at the replacing subscription's grant " + second.reasonCodes(),
                String.join("; ", seen) + (problems.isEmpty() ? "" : " — " + problems));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-3")
    @Verifies(version = V5, value = "MQTT-3.8.4-4")
    void re_subscribing_sends_the_retained_messages_again(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.RETAIN);
        String t = ctx.topic("kept");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "kept", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(t, QoS.AT_LEAST_ONCE);
        if (sub.awaitPublish(t).isEmpty()) {
            throw new SetupFailed(Messages.nothing(sub, "retained message on the first subscription"));
        }
        // Retain Handling 0 (the default): the replacing subscription gets the retained message again
        sub.subscribe(t, QoS.AT_LEAST_ONCE);
        Optional<Publish> again = sub.awaitPublish(t);
        String id = ctx.v5() ? "MQTT-3.8.4-4" : "MQTT-3.8.4-3";
        ctx.check(id, again.isPresent() && again.get().retain() && again.get().payload().toUtf8().equals("kept"),
                "retained messages are re-sent when a subscription is replaced", "the retained 'kept' again, with RETAIN 1",
                again.map(PacketFormat::describe).orElse(Messages.nothing(sub, "second retained message")));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-3")
    @Verifies(version = V5, value = "MQTT-3.8.4-4")
    void replacing_a_subscription_loses_no_messages(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String t = ctx.topic("flow");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(t, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int n = 20;
        for (int i = 1; i <= n; i++) {
            if (i == n / 2 + 1) {
                // the replacing SUBSCRIBE goes out while the publisher keeps publishing
                sub.send(Subscribe.of(sub.nextPacketId(), t, QoS.AT_LEAST_ONCE));
            }
            pub.publish(Publish.of(t, "m" + i, QoS.AT_LEAST_ONCE, 0, false));
        }
        List<Publish> got = Messages.await(sub, t, n);
        TreeSet<String> missing = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            missing.add("m" + i);
        }
        missing.removeAll(Messages.payloads(got));
        ctx.check(ctx.v5() ? "MQTT-3.8.4-4" : "MQTT-3.8.4-3", missing.isEmpty(),
                "replacing a subscription does not interrupt the flow of messages",
                "all " + n + " QoS 1 messages published around the re-subscribe",
                missing.isEmpty() ? "all " + n + " arrived" : "missing " + missing + "; got " + Messages.payloads(got));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-4")
    @Verifies(version = V5, value = "MQTT-3.8.4-5")
    void several_filters_in_one_subscribe_each_work(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String a = ctx.topic("a");
        String b = ctx.topic("b");
        String c = ctx.topic("c");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        Suback ack = sub.subscribe(TopicSubscription.of(a, QoS.AT_MOST_ONCE), TopicSubscription.of(b, QoS.AT_LEAST_ONCE),
                TopicSubscription.of(c + "/+", QoS.EXACTLY_ONCE));
        ProbeClient pub = ctx.connect("pub");
        List<String> topics = List.of(a, b, c + "/x");
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            pub.publish(Publish.of(topics.get(i), "p" + i, QoS.EXACTLY_ONCE, 0, false));
        }
        for (int i = 0; i < topics.size(); i++) {
            int code = i < ack.reasonCodes().size() ? ack.reasonCodes().get(i) : 0x80;
            if (code >= 0x80) {
                seen.add(topics.get(i) + ": refused");
                continue;
            }
            Optional<Publish> got = sub.awaitPublish(topics.get(i));
            seen.add(got.map(PacketFormat::describe).orElse(topics.get(i) + ": nothing"));
            if (got.isEmpty()) {
                problems.add("filter " + (i + 1) + " granted but delivered nothing");
            }
        }
        ctx.check(ctx.v5() ? "MQTT-3.8.4-5" : "MQTT-3.8.4-4", problems.isEmpty(),
                "each filter of a multi-filter SUBSCRIBE works as its own subscription",
                "every granted filter delivers its message; one SUBACK for all",
                PacketFormat.describe(ack) + "; " + String.join("; ", seen) + (problems.isEmpty() ? "" : " — " + problems));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-4")
    @Verifies(version = V5, value = "MQTT-3.8.4-5")
    void a_filter_repeated_in_one_subscribe_acts_as_successive_subscribes(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String t = ctx.topic("twice");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        // as two SUBSCRIBEs in a row: the second replaces the first, leaving one subscription at QoS 1
        Suback ack = sub.subscribe(TopicSubscription.of(t, QoS.AT_MOST_ONCE), TopicSubscription.of(t, QoS.AT_LEAST_ONCE));
        int last = ack.reasonCodes().size() == 2 ? ack.reasonCodes().get(1) : 0x80;
        if (last >= 0x80) {
            throw new SetupFailed("the repeated filter was refused: " + PacketFormat.describe(ack));
        }
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "one", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(t, "last", QoS.AT_MOST_ONCE, 0, false));
        List<Publish> got = Messages.awaitUntil(sub, t, Messages.withPayload("last"));
        got.addAll(Messages.publishes(sub.barrier(), Messages.onTopic(t)));
        List<Publish> ones = Messages.publishes(new ArrayList<>(got), Messages.withPayload("one"));
        int expectedQos = Math.min(1, last);
        ctx.check(ctx.v5() ? "MQTT-3.8.4-5" : "MQTT-3.8.4-4", ones.size() == 1 && ones.get(0).qos().value() == expectedQos,
                "a filter repeated in one SUBSCRIBE is handled like two SUBSCRIBEs (the second replaces the first)",
                "one copy at QoS " + expectedQos, PacketFormat.describe(ack) + "; " + Messages.describe(got));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.8.4-6")
    @Verifies(version = V5, value = "MQTT-3.8.4-8")
    void delivered_qos_is_the_minimum_of_published_and_granted(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        List<String> topics = List.of(ctx.topic("g0"), ctx.topic("g1"), ctx.topic("g2"));
        Suback ack = sub.subscribe(TopicSubscription.of(topics.get(0), QoS.AT_MOST_ONCE),
                TopicSubscription.of(topics.get(1), QoS.AT_LEAST_ONCE), TopicSubscription.of(topics.get(2), QoS.EXACTLY_ONCE));
        ProbeClient pub = ctx.connect("pub");
        for (String t : topics) {
            for (QoS q : QoS.values()) {
                pub.publish(Publish.of(t, "q" + q.value(), q, 0, false));
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            int granted = ack.reasonCodes().get(i);
            if (granted >= 0x80) {
                continue;
            }
            List<Publish> got = Messages.await(sub, topics.get(i), 3);
            for (Publish x : got) {
                int published = Integer.parseInt(x.payload().toUtf8().substring(1));
                int expected = Math.min(published, granted);
                seen.add("granted " + granted + ", published " + published + " -> " + x.qos().value());
                if (x.qos().value() != expected) {
                    problems.add(topics.get(i) + ": published QoS " + published + ", granted " + granted
                            + ", delivered QoS " + x.qos().value());
                }
            }
            if (got.size() < 3) {
                problems.add(topics.get(i) + ": " + got.size() + " of 3 messages arrived");
            }
        }
        ctx.check(ctx.v5() ? "MQTT-3.8.4-8" : "MQTT-3.8.4-6", problems.isEmpty() && !seen.isEmpty(),
                "delivered QoS = min(published QoS, granted QoS)", "QoS 0/1/2 messages on filters granted "
                        + ack.reasonCodes() + " delivered at the minimum", problems.isEmpty() ? String.join("; ", seen)
                        : String.join("; ", problems));
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.8.3-2")
    void a_wildcard_filter_is_either_refused_or_honoured(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String base = ctx.topic("wc");
        ProbeClient sub = ctx.connect("sub", UnaryOperator.identity(), Messages.autoAck(ctx));
        Suback ack = sub.subscribe(TopicSubscription.of(base + "/#", QoS.AT_LEAST_ONCE),
                TopicSubscription.of(base + "/exact", QoS.AT_LEAST_ONCE));
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(base + "/a/b", "wild", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(base + "/exact", "sentinel", QoS.AT_LEAST_ONCE, 0, false));
        int code = ack.reasonCodes().get(0);
        // a broker without wildcard support must refuse the filter (0x80); one that grants it must honour it.
        // Refused: the sentinel on the exact filter orders the check that nothing came for the wildcard.
        Optional<Publish> wild;
        if (code == 0x80) {
            sub.awaitPublish(base + "/exact");
            wild = sub.awaitPublish(base + "/a/b", java.time.Duration.ZERO);
        } else {
            wild = sub.awaitPublish(base + "/a/b");
        }
        String observed = PacketFormat.describe(ack) + "; " + wild.map(PacketFormat::describe).orElse("no message for " + base + "/a/b");
        if (code == 0x80) {
            ctx.check("MQTT-3.8.3-2", wild.isEmpty(), "a refused wildcard filter delivers nothing", "nothing for the refused filter", observed);
        } else {
            ctx.check("MQTT-3.8.3-2", wild.isPresent(), "a wildcard filter is refused unless the broker supports it",
                    "SUBACK 0x80, or the granted wildcard filter delivers a matching message", observed);
        }
    }
}
