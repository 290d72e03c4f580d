package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Outcomes;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.Subscriptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Topic Filters (3.1.1 and 5.0 §4.7): where the wildcards may stand, the empty filter and U+0000
 * (protocol violations the broker must close on), and how '#', '+' and the level separator match.
 */
@ScenarioSuite
class TopicFilterScenarios {

    /** 5.0 codes for a refused Topic Filter: Malformed Packet, Protocol Error, or the specific Topic Filter invalid. */
    static Set<Integer> topicFilterCodes() {
        Set<Integer> s = new HashSet<>(Outcomes.malformedOrProtocolError());
        s.add(ReasonCode.TOPIC_FILTER_INVALID.value());
        return s;
    }

    /** Subscribes to {@code filter} as it is on a fresh connection and judges the broker's reaction. */
    static void subscribeInvalid(ScenarioContext ctx, String probe, String filter, String rule, String check) throws Exception {
        ProbeClient p = ctx.connect(probe);
        int id = p.nextPacketId();
        p.sendUnchecked(new Subscribe(id, Properties.EMPTY,
                List.of(new TopicSubscription(TopicFilter.unchecked(filter), QoS.AT_MOST_ONCE, false, false, 0))));
        Subscriptions.expectFilterRefused(ctx, p, id, 0, rule, SubscribeScenarios.errorRule(ctx), check, topicFilterCodes());
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.1-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.1-1", "MQTT-4.13.1-1", "§4.13.1"})
    void a_misplaced_multi_level_wildcard_is_a_protocol_violation(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2";
        subscribeInvalid(ctx, "notAfterSlash", ctx.topic("m") + "/a#", rule, "'#' not following a '/' is refused");
        subscribeInvalid(ctx, "notLast", ctx.topic("m") + "/#/b", rule, "'#' that is not the last character is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.1-3", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.1-2", "MQTT-4.13.1-1", "§4.13.1"})
    void a_single_level_wildcard_not_filling_its_level_is_a_protocol_violation(ScenarioContext ctx) throws Exception {
        String rule = ctx.v5() ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3";
        subscribeInvalid(ctx, "suffix", ctx.topic("s") + "/a+", rule, "'+' sharing a level with other characters is refused");
        subscribeInvalid(ctx, "prefix", ctx.topic("s") + "/+a/b", rule, "'+' followed by other characters in its level is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.3-1", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.3-1", "MQTT-4.13.1-1", "§4.13.1"})
    void an_empty_topic_filter_is_a_protocol_violation(ScenarioContext ctx) throws Exception {
        subscribeInvalid(ctx, "sub", "", "MQTT-4.7.3-1", "a zero-length Topic Filter is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-4.7.3-2", "MQTT-4.8.0-1"})
    @Verifies(version = V5, value = {"MQTT-4.7.3-2", "MQTT-4.13.1-1", "§4.13.1"})
    void a_null_character_in_a_topic_filter_is_a_protocol_violation(ScenarioContext ctx) throws Exception {
        subscribeInvalid(ctx, "sub", ctx.topic("z") + "/a\u0000b", "MQTT-4.7.3-2", "a Topic Filter containing U+0000 is refused");
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"§4.7.1.1", "§4.7.1.2", "§4.7.1.3", "MQTT-3.3.2-3"})
    @Verifies(version = V5, value = {"§4.7.1.1", "§4.7.1.2", "§4.7.1.3", "MQTT-3.3.2-3"})
    void wildcards_and_empty_levels_match_as_specified(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String b = ctx.topic("lv");
        List<String> topics = List.of(b, b + "/", b + "/a", b + "//x", b + "/a/x", b + "x");
        // expected matches, written out by hand from §4.7.1 rather than computed
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put(b + "/#", Set.of(b, b + "/", b + "/a", b + "//x", b + "/a/x"));   // '#' includes the parent level
        expected.put(b + "/+", Set.of(b + "/", b + "/a"));                             // '+' matches an empty level
        expected.put(b + "/+/x", Set.of(b + "//x", b + "/a/x"));                         // adjacent '/' make an empty level
        expected.put(b + "//x", Set.of(b + "//x"));
        Map<String, String> section = Map.of(b + "/#", "§4.7.1.2", b + "/+", "§4.7.1.3", b + "/+/x", "§4.7.1.3",
                b + "//x", "§4.7.1.1");
        Map<String, ProbeClient> subs = new LinkedHashMap<>();
        Map<String, String> sentinels = new LinkedHashMap<>();
        int i = 0;
        for (String f : expected.keySet()) {
            String s = ctx.topic("sent" + i);
            ProbeClient p = ctx.connect("sub" + i++, UnaryOperator.identity(), Messages.autoAck(ctx));
            p.subscribe(TopicSubscription.of(f, QoS.AT_LEAST_ONCE), TopicSubscription.of(s, QoS.AT_LEAST_ONCE));
            subs.put(f, p);
            sentinels.put(f, s);
        }
        ProbeClient pub = ctx.connect("pub");
        for (String t : topics) {
            pub.publish(Publish.of(t, "m", QoS.AT_LEAST_ONCE, 0, false));
        }
        for (String s : sentinels.values()) {
            pub.publish(Publish.of(s, "s", QoS.AT_LEAST_ONCE, 0, false));
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        Map<String, List<String>> seen = new LinkedHashMap<>();
        List<String> unmatched = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            ProbeClient p = subs.get(e.getKey());
            String sec = section.get(e.getKey());
            List<String> probs = problems.computeIfAbsent(sec, k -> new ArrayList<>());
            if (p.awaitPublish(sentinels.get(e.getKey())).isEmpty()) {
                probs.add(Messages.nothing(p, "sentinel for " + e.getKey()));
                continue;
            }
            Set<String> got = new TreeSet<>();
            for (Packet x : p.drainPackets()) {
                if (x instanceof Publish) {
                    got.add(((Publish) x).topic().toString());
                }
            }
            // MQTT-3.3.2-3: whatever came matches the filter subscribed to (by the matching rules of §4.7)
            for (String t : got) {
                if (!TopicFilter.matches(e.getKey(), t)) {
                    unmatched.add("'" + t + "' to the subscriber of '" + e.getKey() + "'");
                }
            }
            seen.computeIfAbsent(sec, k -> new ArrayList<>()).add("'" + e.getKey() + "' matched " + got);
            if (!got.equals(new TreeSet<>(e.getValue()))) {
                probs.add("'" + e.getKey() + "' matched " + got + ", expected " + new TreeSet<>(e.getValue()));
            }
        }
        String[][] checks = {
            {"§4.7.1.1", "adjacent separators make an empty level that filters match literally and with '+'"},
            {"§4.7.1.2", "'#' matches the parent level and any number of child levels"},
            {"§4.7.1.3", "'+' matches exactly one level, an empty one included"}};
        for (String[] c : checks) {
            List<String> probs = problems.getOrDefault(c[0], List.of());
            List<String> obs = new ArrayList<>(seen.getOrDefault(c[0], List.of()));
            if (c[0].equals("§4.7.1.1")) {
                // the '+/x' subscriber's view of 'a//x' judges the empty level as well
                probs = new ArrayList<>(probs);
                probs.addAll(problems.getOrDefault("§4.7.1.3", List.of()).stream().filter(s -> s.contains("/+/x")).toList());
                obs.addAll(seen.getOrDefault("§4.7.1.3", List.of()).stream().filter(s -> s.contains("/+/x")).toList());
            }
            ctx.check(c[0], probs.isEmpty(), c[1], "matches as §4.7.1 defines them (topics " + topics + ")",
                    probs.isEmpty() ? String.join("; ", obs) : String.join("; ", probs));
        }
        ctx.check("MQTT-3.3.2-3", unmatched.isEmpty(), "a delivered Topic Name matches the subscription's Topic Filter",
                "only topics matching each subscriber's filter", unmatched.isEmpty() ? "every delivery matched its filter"
                        : "delivered " + String.join(", ", unmatched));
    }
}
