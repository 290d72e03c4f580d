package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import dev.mqttharness.suite.framework.Subscriptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Shared Subscriptions (5.0 §4.8.2): the $share/{ShareName}/{filter} syntax, one member per message,
 * each member's granted QoS, no retained messages, and what happens to a message when its member goes
 * away or refuses it.
 */
@ScenarioSuite
class SharedSubscriptionScenarios {
    /** Attempts to get a message delivered to one particular member; a fair broker needs one or two. */
    private static final int TRIES = 12;

    private static String shared(ScenarioContext ctx, String group, String topic) {
        return "$share/" + ctx.shareName(group) + "/" + topic;
    }

    /**
     * Takes PUBLISHes on {@code topic} from any of {@code members} until {@code n} came or the probes'
     * timeout passed, polling each in short slices (a member's copy may come before or after another's).
     */
    static Map<ProbeClient, List<Publish>> gather(List<ProbeClient> members, String topic, int n) {
        Map<ProbeClient, List<Publish>> out = new LinkedHashMap<>();
        for (ProbeClient m : members) {
            out.put(m, new ArrayList<>());
        }
        long deadline = System.nanoTime() + members.get(0).timeout().toNanos();
        int total = 0;
        while (total < n && System.nanoTime() < deadline) {
            boolean any = false;
            for (ProbeClient m : members) {
                Optional<Publish> x = m.awaitPublish(topic, any ? Duration.ZERO : Duration.ofMillis(5));
                if (x.isPresent()) {
                    out.get(m).add(x.get());
                    total++;
                    any = true;
                }
            }
        }
        return out;
    }

    /** Completes the receiver's side of a delivery: PUBACK, or PUBREC / PUBREL / PUBCOMP. */
    static void acknowledge(ProbeClient p, Publish x) throws IOException {
        if (x.qos() == QoS.AT_LEAST_ONCE) {
            p.send(new Puback(x.packetId()));
        } else if (x.qos() == QoS.EXACTLY_ONCE) {
            p.send(new Pubrec(x.packetId()));
            p.expect(y -> y instanceof Pubrel && ((Pubrel) y).packetId() == x.packetId(), "PUBREL " + x.packetId());
            p.send(new Pubcomp(x.packetId()));
        }
    }

    /**
     * Publishes "m0", "m1", ... at {@code qos} one at a time until one reaches {@code target}; the other
     * members acknowledge what they get. Returns the delivery to {@code target}, left unacknowledged.
     */
    static Publish landOn(ProbeClient pub, String topic, QoS qos, ProbeClient target, List<ProbeClient> members) throws IOException {
        for (int i = 0; i < TRIES; i++) {
            pub.publish(Publish.of(topic, "m" + i, qos, 0, false));
            Map<ProbeClient, List<Publish>> got = gather(members, topic, 1);
            for (Map.Entry<ProbeClient, List<Publish>> e : got.entrySet()) {
                for (Publish x : e.getValue()) {
                    if (e.getKey() == target) {
                        return x;
                    }
                    acknowledge(e.getKey(), x);
                }
            }
        }
        throw new SetupFailed("none of " + TRIES + " messages went to member " + target.name());
    }

    private static Suback join(ProbeClient p, String filter, QoS qos) throws IOException {
        Suback ack = p.subscribe(TopicSubscription.of(filter, qos));
        if (ack.reasonCodes().get(0) >= 0x80) {
            throw new SetupFailed(p.name() + " could not join " + filter + ": " + PacketFormat.describe(ack));
        }
        return ack;
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "§4.8.2")
    void each_message_goes_to_exactly_one_member_of_a_group(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        String t = ctx.topic("s");
        ProbeClient a = ctx.connect("a", UnaryOperator.identity(), Messages.autoAck(ctx));
        ProbeClient b = ctx.connect("b", UnaryOperator.identity(), Messages.autoAck(ctx));
        join(a, shared(ctx, "g", t), QoS.AT_LEAST_ONCE);
        join(b, shared(ctx, "g", t), QoS.AT_LEAST_ONCE);
        // another group and a plain subscription each get their own copy of every message
        ProbeClient other = ctx.connect("other", UnaryOperator.identity(), Messages.autoAck(ctx));
        join(other, shared(ctx, "h", t), QoS.AT_LEAST_ONCE);
        ProbeClient plain = ctx.connect("plain", UnaryOperator.identity(), Messages.autoAck(ctx));
        join(plain, t, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        int n = 10;
        for (int i = 0; i < n; i++) {
            pub.publish(Publish.of(t, "m" + i, QoS.AT_LEAST_ONCE, 0, false));
        }
        Map<ProbeClient, List<Publish>> group = gather(List.of(a, b), t, n);
        List<Publish> otherGot = Messages.await(other, t, n);
        List<Publish> plainGot = Messages.await(plain, t, n);
        // copies beyond one per message would be on their way by now: the barriers take them
        group.get(a).addAll(Messages.publishes(a.barrier(), Messages.onTopic(t)));
        group.get(b).addAll(Messages.publishes(b.barrier(), Messages.onTopic(t)));
        Map<String, Integer> counts = new TreeMap<>();
        for (List<Publish> l : group.values()) {
            for (Publish x : l) {
                counts.merge(x.payload().toUtf8(), 1, Integer::sum);
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = counts.getOrDefault("m" + i, 0);
            if (c != 1) {
                problems.add("m" + i + " reached the group " + c + " times");
            }
        }
        if (otherGot.size() != n) {
            problems.add("the other group got " + otherGot.size() + " of " + n);
        }
        if (plainGot.size() != n) {
            problems.add("the non-shared subscriber got " + plainGot.size() + " of " + n);
        }
        ctx.check("§4.8.2", problems.isEmpty(), "each message goes to exactly one member of a shared subscription",
                n + " messages: one copy each within the group; another group and a plain subscriber get all",
                "member a got " + Messages.payloads(group.get(a)) + ", member b got " + Messages.payloads(group.get(b))
                        + (problems.isEmpty() ? "" : " — " + problems));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.8.2-3")
    void each_member_gets_the_qos_granted_to_it(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        String t = ctx.topic("q");
        ProbeClient a = ctx.connect("a", UnaryOperator.identity(), Messages.autoAck(ctx));
        ProbeClient b = ctx.connect("b", UnaryOperator.identity(), Messages.autoAck(ctx));
        int grantedA = join(a, shared(ctx, "g", t), QoS.AT_MOST_ONCE).reasonCodes().get(0);
        int grantedB = join(b, shared(ctx, "g", t), QoS.AT_LEAST_ONCE).reasonCodes().get(0);
        ProbeClient pub = ctx.connect("pub");
        int n = 6;
        for (int i = 0; i < n; i++) {
            pub.publish(Publish.of(t, "m" + i, QoS.EXACTLY_ONCE, 0, false));
        }
        Map<ProbeClient, List<Publish>> got = gather(List.of(a, b), t, n);
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Map.Entry<ProbeClient, List<Publish>> e : got.entrySet()) {
            int granted = e.getKey() == a ? grantedA : grantedB;
            for (Publish x : e.getValue()) {
                seen.add(e.getKey().name() + ":" + x.payload().toUtf8() + "@QoS" + x.qos().value());
                if (x.qos().value() != Math.min(2, granted)) {
                    problems.add(e.getKey().name() + " granted " + granted + " got " + PacketFormat.describe(x));
                }
            }
        }
        int total = got.get(a).size() + got.get(b).size();
        ctx.check("MQTT-4.8.2-3", problems.isEmpty() && total == n, "a shared delivery uses the QoS granted to the chosen member",
                n + " QoS 2 messages, each delivered at its member's granted QoS (a: " + grantedA + ", b: " + grantedB + ")",
                String.join(", ", seen) + (problems.isEmpty() ? "" : " — " + problems) + (total == n ? "" : " — " + total + " of " + n + " arrived"));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "§4.8.2")
    void a_shared_subscription_gets_no_retained_messages(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        ctx.require(Capability.RETAIN);
        String t = ctx.topic("r");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(t, "kept", QoS.AT_LEAST_ONCE, 0, true));
        ProbeClient a = ctx.connect("a", UnaryOperator.identity(), Messages.autoAck(ctx));
        join(a, shared(ctx, "g", t), QoS.AT_LEAST_ONCE);
        // retained messages for a subscription follow its SUBACK: the barrier shows whether any came
        List<Publish> onShared = Messages.publishes(a.barrier(), Messages.onTopic(t));
        // control: a plain subscription on the same connection does get the retained message
        join(a, t, QoS.AT_LEAST_ONCE);
        Optional<Publish> control = a.awaitPublish(t);
        if (control.isEmpty()) {
            throw new SetupFailed(Messages.nothing(a, "retained message for the non-shared subscription"));
        }
        ctx.check("§4.8.2", onShared.isEmpty(), "no retained messages are sent for a shared subscription",
                "nothing after the shared SUBACK; the retained message only for the later non-shared subscription",
                onShared.isEmpty() ? "shared: nothing; non-shared: " + PacketFormat.describe(control.get())
                        : "shared subscription got " + Messages.describe(onShared));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.8.2-1", "MQTT-4.8.2-2", "MQTT-4.13.1-1", "§4.13.1"})
    void malformed_shared_subscription_filters_are_protocol_violations(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        String t = ctx.topic("x");
        String name = ctx.shareName("g");
        Object[][] cases = {
            {"emptyName", "$share//" + t, "MQTT-4.8.2-1", "an empty ShareName"},
            {"plusInName", "$share/" + name + "+/" + t, "MQTT-4.8.2-2", "a ShareName containing '+'"},
            {"hashInName", "$share/" + name + "#/" + t, "MQTT-4.8.2-2", "a ShareName containing '#'"},
            {"noFilter", "$share/" + name, "MQTT-4.8.2-2", "no '/' and Topic Filter after the ShareName"}};
        for (Object[] c : cases) {
            refusedOrTakenLiterally(ctx, (String) c[0], (String) c[1], (String) c[2],
                    "a shared subscription with " + c[3] + " is refused");
        }
    }

    /**
     * The ShareName rules bind the sender and the standard names no reaction: refusing (closing) is
     * PASS; granting is NON_STRICT for the rule, since the broker may have taken the filter as an
     * ordinary one that begins with "$share" (INFO for the close rule, which it then had no cause to apply).
     */
    private static void refusedOrTakenLiterally(ScenarioContext ctx, String probe, String filter, String rule, String check)
            throws Exception {
        ProbeClient p = ctx.connect(probe);
        int id = p.nextPacketId();
        p.sendUnchecked(new dev.mqttharness.spec.packet.Subscribe(id, dev.mqttharness.spec.packet.Properties.EMPTY,
                List.of(new TopicSubscription(dev.mqttharness.spec.packet.TopicFilter.unchecked(filter), QoS.AT_MOST_ONCE,
                        false, false, 0))));
        Optional<dev.mqttharness.spec.packet.Packet> ack = p.awaitPacket(x -> x instanceof Suback && ((Suback) x).packetId() == id,
                ctx.timeout());
        boolean granted = ack.isPresent() && ((Suback) ack.get()).reasonCodes().get(0) < 0x80;
        if (granted) {
            String observed = PacketFormat.describe(ack.get()) + " for '" + filter + "'";
            ctx.nonStrict(rule, check, "close the connection (the filter breaks the ShareName rules)",
                    observed + " (perhaps taken as an ordinary filter beginning with $share)");
            ctx.info("MQTT-4.13.1-1", "the close rule applies only to errors the broker detects", observed);
            if (ctx.declared().contains(Outcomes.V5_SHOULD_SEND_REASON)) {
                ctx.info(Outcomes.V5_SHOULD_SEND_REASON, "no error was reported", observed);
            }
            p.close();
            return;
        }
        Subscriptions.expectFilterRefused(ctx, p, id, 0, rule, "MQTT-4.13.1-1", check, TopicFilterScenarios.topicFilterCodes());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "§4.8.2")
    void messages_go_to_the_remaining_member_once_one_leaves(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        String t = ctx.topic("l");
        ProbeClient a = ctx.connect("a", UnaryOperator.identity(), Messages.autoAck(ctx));
        ProbeClient b = ctx.connect("b", UnaryOperator.identity(), Messages.autoAck(ctx));
        join(a, shared(ctx, "g", t), QoS.AT_LEAST_ONCE);
        join(b, shared(ctx, "g", t), QoS.AT_LEAST_ONCE);
        // a leaves (normal DISCONNECT, its session ends); the broker's close of a orders what follows
        Lifecycle.disconnect(a);
        ProbeClient pub = ctx.connect("pub");
        int n = 5;
        for (int i = 0; i < n; i++) {
            pub.publish(Publish.of(t, "m" + i, QoS.AT_LEAST_ONCE, 0, false));
        }
        List<Publish> got = Messages.await(b, t, n);
        ctx.check("§4.8.2", got.size() == n, "a member that leaves is detached; the group's messages go to the others",
                "all " + n + " messages to the remaining member", Messages.payloads(got).toString());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.8.2-4")
    void a_qos2_delivery_cut_short_is_completed_to_the_same_member_on_reconnect(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        ctx.require(Capability.QOS2);
        String t = ctx.topic("c");
        String filter = shared(ctx, "g", t);
        ProbeClient a = ctx.connect("a", Messages.persistent(ctx, false));
        ProbeClient b = ctx.connect("b");
        join(a, filter, QoS.EXACTLY_ONCE);
        join(b, filter, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Publish m = landOn(pub, t, QoS.EXACTLY_ONCE, a, List.of(a, b));
        if (m.qos() != QoS.EXACTLY_ONCE) {
            // the broker granted the shared subscription a lower QoS: the rule is about QoS 2 deliveries
            ctx.verdict("MQTT-4.8.2-4", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED,
                    "a QoS 2 delivery interrupted by a lost connection is completed to that member", "",
                    "the delivery to the member was " + PacketFormat.describe(m) + ", not QoS 2");
            return;
        }
        a.close(); // mid-flow: no PUBREC
        ProbeClient a2 = Lifecycle.reconnect(ctx, "a2", "a", Messages.persistent(ctx, true));
        Optional<Publish> again = a2.awaitPublish(t);
        again.ifPresent(x -> {
            try {
                acknowledge(a2, x);
            } catch (IOException | RuntimeException ignored) {
                // the verdict rests on the redelivery
            }
        });
        List<Publish> toB = Messages.publishes(b.barrier(), Messages.withPayload(m.payload().toUtf8()));
        boolean same = again.isPresent() && again.get().payload().equals(m.payload());
        ctx.check("MQTT-4.8.2-4", same && toB.isEmpty(), "a QoS 2 delivery interrupted by a lost connection is completed to that member",
                "'" + m.payload().toUtf8() + "' sent again to the reconnected member (and not to the other one)",
                again.map(PacketFormat::describe).orElse(Messages.nothing(a2, "redelivery")) + (toB.isEmpty() ? "" : "; the other member got " + Messages.describe(toB)));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.8.2-5")
    void a_qos2_message_of_a_member_whose_session_ended_is_not_passed_on(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        ctx.require(Capability.QOS2);
        String t = ctx.topic("e");
        String will = ctx.topic("will");
        String filter = shared(ctx, "g", t);
        // a's session ends with its connection (Session Expiry 0); its will tells b when the broker noticed
        ProbeClient a = ctx.connect("a", c -> c.will(Will.of(will, "gone", QoS.AT_LEAST_ONCE, false)));
        // b acknowledges what it gets, so that nothing it receives holds back the will behind it
        ProbeClient b = ctx.connect("b", java.util.function.UnaryOperator.identity(), Messages.autoAck(ctx));
        join(a, filter, QoS.EXACTLY_ONCE);
        join(b, filter, QoS.EXACTLY_ONCE);
        join(b, will, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Publish m = landOn(pub, t, QoS.EXACTLY_ONCE, a, List.of(a, b));
        if (m.qos() != QoS.EXACTLY_ONCE) {
            // the broker granted the shared subscription a lower QoS: the rule is about QoS 2 deliveries
            ctx.verdict("MQTT-4.8.2-5", dev.mqttharness.spec.verdict.Verdict.NOT_TESTED,
                    "a QoS 2 message whose member's session ended is not sent to another member", "",
                    "the delivery to the member was " + PacketFormat.describe(m) + ", not QoS 2");
            return;
        }
        a.close();
        Publish gone = b.awaitPublish(will).orElseThrow(() -> new SetupFailed(Messages.nothing(b, "will of the member that dropped")));
        acknowledge(b, gone);
        // only b is left: a sentinel published now goes to b, after anything the broker did with m
        pub.publish(Publish.of(t, "sentinel", QoS.EXACTLY_ONCE, 0, false));
        List<Publish> got = Messages.awaitUntil(b, t, Messages.withPayload("sentinel"));
        got.addAll(Messages.publishes(b.barrier(), Messages.onTopic(t)));
        List<Publish> passedOn = Messages.publishes(new ArrayList<>(got), Messages.withPayload(m.payload().toUtf8()));
        boolean sentinel = got.stream().anyMatch(x -> x.payload().toUtf8().equals("sentinel"));
        if (!sentinel) {
            throw new SetupFailed(Messages.nothing(b, "sentinel"));
        }
        ctx.check("MQTT-4.8.2-5", passedOn.isEmpty(), "a QoS 2 message whose member's session ended is not sent to another member",
                "'" + m.payload().toUtf8() + "' never reaches the other member", Messages.describe(got));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.8.2-6")
    void a_message_a_member_refuses_is_not_offered_to_another(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.SHARED_SUBSCRIPTIONS);
        String t = ctx.topic("n");
        String filter = shared(ctx, "g", t);
        ProbeClient a = ctx.connect("a");
        ProbeClient b = ctx.connect("b");
        join(a, filter, QoS.AT_LEAST_ONCE);
        join(b, filter, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        Publish m = landOn(pub, t, QoS.AT_LEAST_ONCE, a, List.of(a, b));
        a.send(new Puback(m.packetId(), 0x80, Properties.EMPTY)); // Unspecified error: a refuses it
        a.barrier(); // the broker has handled the refusal
        // sentinels until one reaches b: whatever the broker did with the refused message came first
        List<Publish> atB = new ArrayList<>();
        boolean sentinel = false;
        for (int i = 0; i < TRIES && !sentinel; i++) {
            pub.publish(Publish.of(t, "s" + i, QoS.AT_LEAST_ONCE, 0, false));
            Map<ProbeClient, List<Publish>> got = gather(List.of(a, b), t, 1);
            for (Publish x : got.get(a)) {
                acknowledge(a, x);
            }
            for (Publish x : got.get(b)) {
                atB.add(x);
                acknowledge(b, x);
                sentinel |= x.payload().toUtf8().startsWith("s");
            }
        }
        if (!sentinel) {
            throw new SetupFailed("no sentinel reached the other member");
        }
        atB.addAll(Messages.publishes(b.barrier(), Messages.onTopic(t)));
        List<Publish> offered = Messages.publishes(new ArrayList<>(atB), Messages.withPayload(m.payload().toUtf8()));
        ctx.check("MQTT-4.8.2-6", offered.isEmpty(), "a message refused with PUBACK 0x80 is discarded, not sent to another member",
                "'" + m.payload().toUtf8() + "' never reaches the other member", Messages.describe(atB));
    }
}
