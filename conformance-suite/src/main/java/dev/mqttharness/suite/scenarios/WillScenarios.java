package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.StringPair;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Will messages (3.1.1 §3.1.2.5 - §3.1.2.7, §3.1.3.2 - §3.1.3.3; 5.0 §3.1.2.5 - §3.1.2.7, §3.1.3.2):
 * published when the connection drops, not after a normal DISCONNECT or when there is none, retained
 * as Will Retain says, with its properties, after the Will Delay Interval and not at all when the
 * session is resumed in time.
 */
@ScenarioSuite
class WillScenarios {

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-8")
    @Verifies(version = V5, value = {"MQTT-3.1.2-7", "MQTT-3.1.2-8"})
    void will_is_published_when_the_connection_drops(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        ProbeClient dying = ctx.connect("dying", b -> b.will(Will.of(topic, "gone", QoS.AT_LEAST_ONCE, false)));
        dying.barrier(); // the broker has handled the CONNECT and stored the Will
        dying.close(); // no DISCONNECT: an abnormal close
        Optional<Publish> will = sub.awaitPublish(topic);
        String observed = will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms");
        boolean ok = will.isPresent() && will.get().payload().toUtf8().equals("gone");
        ctx.check("MQTT-3.1.2-8", ok, "the Will is published when the connection drops", "PUBLISH 'gone' on '" + topic + "'",
                observed);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-7", ok, "the Will in the CONNECT is stored with the session", "the stored Will published",
                    observed);
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-16", "MQTT-3.1.2-17"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-14", "MQTT-3.1.2-15"})
    void will_is_retained_exactly_when_will_retain_is_set(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String plain = ctx.topic("plain");
        String kept = ctx.topic("kept");
        // subscribers acknowledge: a broker may hold one delivery back until the previous one is acknowledged
        ProbeClient sub = ctx.connect("sub", java.util.function.UnaryOperator.identity(), Messages.autoAck(ctx));
        sub.subscribe(TopicSubscription.of(plain, QoS.AT_LEAST_ONCE), TopicSubscription.of(kept, QoS.AT_LEAST_ONCE));
        ProbeClient a = ctx.connect("a", b -> b.will(Will.of(plain, "not kept", QoS.AT_LEAST_ONCE, false)));
        ProbeClient b = ctx.connect("b", x -> x.will(Will.of(kept, "kept", QoS.AT_LEAST_ONCE, true)));
        a.barrier();
        b.barrier();
        a.close();
        b.close();
        // both Wills published (to the live subscriber) before a new subscriber asks for retained messages
        sub.expect(p -> p instanceof Publish && ((Publish) p).topic().toString().equals(plain), "the Will on '" + plain + "'");
        sub.expect(p -> p instanceof Publish && ((Publish) p).topic().toString().equals(kept), "the Will on '" + kept + "'");
        ProbeClient late = ctx.connect("late", java.util.function.UnaryOperator.identity(), Messages.autoAck(ctx));
        late.subscribe(TopicSubscription.of(plain, QoS.AT_LEAST_ONCE), TopicSubscription.of(kept, QoS.AT_LEAST_ONCE));
        // the retained Will must come; once it has, a barrier shows whether anything else was retained
        Optional<Publish> keptCopy = late.awaitPublish(kept);
        List<Packet> retained = new java.util.ArrayList<>(late.barrier());
        keptCopy.ifPresent(retained::add);
        Optional<Publish> plainCopy = find(retained, plain);
        String observed = "a new subscriber received " + Lifecycle.describe(retained);
        ctx.check(ctx.v5() ? "MQTT-3.1.2-14" : "MQTT-3.1.2-16", plainCopy.isEmpty(),
                "a Will with Will Retain 0 is not retained", "no retained message on '" + plain + "'", observed);
        ctx.check(ctx.v5() ? "MQTT-3.1.2-15" : "MQTT-3.1.2-17",
                keptCopy.isPresent() && keptCopy.get().retain() && keptCopy.get().payload().toUtf8().equals("kept"),
                "a Will with Will Retain 1 is retained", "the Will 'kept' as a retained message (RETAIN 1)", observed);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-12")
    @Verifies(version = V5, value = "MQTT-3.1.2-10")
    void will_removed_by_disconnect_is_never_published(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("stale");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        // a persistent session whose first connection had a Will and ended with a normal DISCONNECT
        UnaryOperator<Connect.Builder> persistent = b -> SessionScenarios.persistent(ctx, b);
        ProbeClient first = Lifecycle.reconnect(ctx, "first", "stale",
                b -> persistent.apply(b).will(Will.of(topic, "stale will", QoS.AT_LEAST_ONCE, false)));
        Lifecycle.disconnect(first);
        // the session resumes on a connection without a Will (3.1.1 MQTT-3.1.2-12: Will Flag 0 publishes
        // nothing; 5.0 MQTT-3.1.2-10: the DISCONNECT removed the Will), which then drops
        ProbeClient second = Lifecycle.reconnect(ctx, "second", "stale", persistent);
        second.barrier();
        second.close();
        // once the broker accepts a third connection for the identifier it has dealt with the drop
        Lifecycle.disconnect(Lifecycle.reconnect(ctx, "third", "stale", persistent));
        List<Publish> wills = Lifecycle.sentinel(sub, topic);
        String observed = wills.isEmpty() ? "nothing before the sentinel" : "received " + Lifecycle.describe(wills);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-10", wills.isEmpty(), "a Will removed by DISCONNECT 0x00 is never published",
                    "no Will on '" + topic + "'", observed);
        } else {
            ctx.check("MQTT-3.1.2-12", wills.isEmpty(), "a connection with Will Flag 0 publishes no Will when it drops",
                    "no Will on '" + topic + "'", observed);
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.3-10")
    void will_properties_are_forwarded_with_user_properties_in_order(ScenarioContext ctx) throws Exception {
        String topic = ctx.topic("props");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        // User Properties with a repeated name, deliberately not sorted
        Properties props = Properties.builder()
                .userProperty("zeta", "1").userProperty("alpha", "2").userProperty("zeta", "3")
                .string(PropertyId.CONTENT_TYPE, "text/plain")
                .build();
        ProbeClient dying = ctx.connect("dying", b -> b.will(Will.of(topic, "gone", QoS.AT_LEAST_ONCE, false).withProperties(props)));
        dying.barrier();
        dying.close();
        Optional<Publish> will = sub.awaitPublish(topic);
        List<StringPair> expected = props.userProperties();
        List<StringPair> got = will.map(p -> p.properties().userProperties()).orElse(List.of());
        ctx.check("MQTT-3.1.3-10", will.isPresent() && got.equals(expected),
                "the Will's User Properties are forwarded in their order", "User Properties " + expected,
                will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms"));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-3.1.2-8")
    void will_waits_for_the_will_delay_interval(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILL_DELAY);
        String topic = ctx.topic("delayed");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        // Will Delay 2 s with a session that outlives it (expiry 30 s): the Will comes when the delay ends
        long delay = 2;
        Properties willProps = Properties.builder().number(PropertyId.WILL_DELAY_INTERVAL, delay).build();
        ProbeClient dying = Lifecycle.reconnect(ctx, "dying", "delayed", b -> b.cleanStart(true)
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 30))
                .will(Will.of(topic, "late", QoS.AT_LEAST_ONCE, false).withProperties(willProps)));
        dying.barrier();
        long closedAt = System.nanoTime();
        dying.close();
        // whole-second timers may start the delay up to 1 s early; allow as much late, plus slack
        Optional<Publish> will = sub.awaitPublish(topic, Duration.ofMillis(delay * 1000 + 2500));
        long after = (System.nanoTime() - closedAt) / 1_000_000;
        String observed = will.map(p -> PacketFormat.describe(p) + " " + after + " ms after the close")
                .orElse("no Will within " + after + " ms");
        boolean ok = will.isPresent() && after >= (delay - 1) * 1000;
        ctx.check("MQTT-3.1.2-8", ok, "the Will is published once the Will Delay Interval has passed",
                "the Will between " + (delay - 1) + " s and " + (delay + 2.5) + " s after the close", observed);
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.1.3-9", "MQTT-3.1.2-8"})
    void reconnecting_within_the_will_delay_suppresses_the_will(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.WILL_DELAY);
        String topic = ctx.topic("suppressed");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        Properties willProps = Properties.builder().number(PropertyId.WILL_DELAY_INTERVAL, 30).build();
        ProbeClient first = Lifecycle.reconnect(ctx, "first", "resumed", b -> b.cleanStart(true)
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 30))
                .will(Will.of(topic, "should not appear", QoS.AT_LEAST_ONCE, false).withProperties(willProps)));
        first.barrier();
        first.close();
        // resumed long before the 30 s delay ends (MQTT-3.1.3-9); this connection's session ends with it
        // (Session Expiry 0), so a Will the broker still held would be published when it drops
        Lifecycle.Attempt again = Lifecycle.connectAs(ctx, "again", "resumed", b -> b.cleanStart(false)
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0)));
        if (!again.accepted()) {
            throw new dev.mqttharness.suite.framework.SetupFailed("reconnect refused: " + again.describe());
        }
        again.probe().barrier();
        again.probe().close();
        Lifecycle.disconnect(Lifecycle.reconnect(ctx, "settle", "resumed", UnaryOperator.identity()));
        List<Publish> wills = Lifecycle.sentinel(sub, topic);
        if (!again.sessionPresent()) {
            // the broker ended the session instead of resuming it, and a session end publishes the Will
            throw new org.opentest4j.TestAbortedException("the session was not resumed (" + again.describe()
                    + "): nothing to judge about a resumed session");
        }
        String observed = wills.isEmpty() ? "session resumed; no Will before the sentinel"
                : "session resumed; received " + Lifecycle.describe(wills);
        ctx.check("MQTT-3.1.3-9", wills.isEmpty(), "no Will when the session is resumed within the Will Delay Interval",
                "no Will on '" + topic + "'", observed);
        ctx.check("MQTT-3.1.2-8", wills.isEmpty(), "a Will cancelled by a new connection is not published",
                "no Will on '" + topic + "'", observed);
    }

    private static Optional<Publish> find(List<Packet> packets, String topic) {
        for (Packet p : packets) {
            if (p instanceof Publish && ((Publish) p).topic().toString().equals(topic)) {
                return Optional.of((Publish) p);
            }
        }
        return Optional.empty();
    }
}
