package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opentest4j.TestAbortedException;

/** Topics beginning with '$' (3.1.1 and 5.0 §4.7.2): filters starting with a wildcard do not match them. */
@ScenarioSuite
class DollarTopicScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.7.2-1")
    @Verifies(version = V5, value = "MQTT-4.7.2-1")
    void filters_starting_with_a_wildcard_do_not_match_dollar_topics(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        ctx.require(Capability.WILDCARD_SUBSCRIPTIONS);
        String plain = ctx.topic("d");                      // mh/<run>/<n>/d
        String dollar = "$" + plain;                         // $mh/<run>/<n>/d
        String sentinel = ctx.topic("s");                    // mh/<run>/<n>/s
        String rest = plain.substring(plain.indexOf('/'));   // /<run>/<n>/d
        String restOfSentinel = sentinel.substring(sentinel.indexOf('/'));
        ProbeClient plus = ctx.connect("plus");
        plus.subscribe(TopicSubscription.of("+" + rest, QoS.AT_MOST_ONCE), TopicSubscription.of("+" + restOfSentinel, QoS.AT_MOST_ONCE));
        // control: a filter that spells the '$' level out does match, so the broker accepts and routes '$' topics
        ProbeClient control = ctx.connect("control", UnaryOperator.identity(), Messages.autoAck(ctx));
        control.subscribe(dollar, QoS.AT_LEAST_ONCE);
        ProbeClient pub = ctx.connect("pub");
        // '#' sees every topic of the broker, other scenarios' included (a PUBACK 0x10 "No matching
        // subscribers" elsewhere would turn into 0x00): it is subscribed last, at QoS 0, and dropped at once
        ProbeClient hash = ctx.connect("hash");
        hash.subscribe("#", QoS.AT_MOST_ONCE);
        // §4.7.2 reserves '$' topics for the Server: a broker may refuse a client's PUBLISH to one,
        // and then there is nothing to judge here
        try {
            dev.mqttharness.spec.packet.Packet ack = pub.publish(Publish.of(dollar, "dollar", QoS.AT_LEAST_ONCE, 0, false));
            if (ack instanceof dev.mqttharness.spec.packet.PubAck && ((dev.mqttharness.spec.packet.PubAck) ack).reasonCode() >= 0x80) {
                throw new TestAbortedException("the broker refuses client PUBLISHes to '$' topics: " + PacketFormat.describe(ack));
            }
        } catch (ProbeClient.ExpectationTimeout e) {
            throw new TestAbortedException("the broker refuses client PUBLISHes to '$' topics: " + e.getMessage());
        }
        pub.publish(Publish.of(sentinel, "sentinel", QoS.AT_LEAST_ONCE, 0, false));
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (ProbeClient p : List.of(hash, plus)) { // '#' first, so that it can go soonest
            String filter = p == hash ? "#" : "+" + rest;
            if (p.awaitPublish(sentinel).isEmpty()) {
                throw new SetupFailed(Messages.nothing(p, "sentinel for '" + filter + "'"));
            }
            Optional<Publish> leaked = p.awaitPublish(dollar, Duration.ZERO);
            seen.add("'" + filter + "': " + leaked.map(PacketFormat::describe).orElse("no '$' message before the sentinel"));
            leaked.ifPresent(x -> problems.add("'" + filter + "' matched " + dollar));
            if (p == hash) {
                hash.disconnect();
            }
        }
        if (problems.isEmpty() && control.awaitPublish(dollar).isEmpty()) {
            // nothing leaked, but nothing was routed either: no evidence either way
            throw new TestAbortedException("the broker does not route '" + dollar + "' even to an exact subscription ("
                    + Messages.nothing(control, "message") + "), so wildcard matching of '$' topics cannot be judged");
        }
        ctx.check("MQTT-4.7.2-1", problems.isEmpty(), "'#' and '+'-first filters do not match topics beginning with '$'",
                "no '" + dollar + "' for '#' or '+" + rest + "' (an exact subscription got it)",
                problems.isEmpty() ? String.join("; ", seen) : String.join("; ", problems));
    }
}
