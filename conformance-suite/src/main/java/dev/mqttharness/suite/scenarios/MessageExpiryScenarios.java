package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Messages;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Message Expiry Interval (5.0 §3.3.2.3.3) and its interplay with the QoS 2 exchange (§4.3.3).
 * Expiry is counted in whole seconds, so these scenarios use the shortest interval (1 s) and let
 * {@link #PAST_EXPIRY} pass: the interval plus a second of rounding a broker with second resolution
 * may add. They are the only waits of the suite that are not events, and run concurrently with the rest.
 */
@ScenarioSuite
class MessageExpiryScenarios {
    /** Time after which a message published with a 1 s Message Expiry Interval has surely expired. */
    static final Duration PAST_EXPIRY = Duration.ofMillis(2200);
    private static final long LONG_EXPIRY = 60;

    private static Properties expiry(long seconds) {
        return Properties.builder().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds).build();
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.3.2-5", "MQTT-3.3.2-6"})
    void queued_messages_expire_and_report_the_time_left(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS1);
        String topic = ctx.topic("exp");
        ProbeClient sub = ctx.connect("sub", Messages.persistent(ctx, false));
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        sub.disconnect();
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "short", QoS.AT_LEAST_ONCE, 0, false).withProperties(expiry(1)));
        long published = System.nanoTime();
        pub.publish(Publish.of(topic, "long", QoS.AT_LEAST_ONCE, 0, false).withProperties(expiry(LONG_EXPIRY)));
        pub.publish(Publish.of(topic, "sentinel", QoS.AT_LEAST_ONCE, 0, false));
        // MQTT-3.3.2-5 is about time passing while the message waits in the session: nothing marks it but the clock
        Messages.letTimePass(pub, PAST_EXPIRY);
        ProbeClient back = ctx.connect("subBack", Messages.resume(ctx, "sub"), Messages.autoAck(ctx));
        List<Publish> got = Messages.awaitUntil(back, topic, Messages.withPayload("sentinel"));
        // the queue is sent on resuming: whatever of it the sentinel did not already cover is in before the PINGRESP
        if (!got.isEmpty()) {
            got.addAll(Messages.publishes(back.barrier(), Messages.onTopic(topic)));
        }
        long waitedMillis = Duration.ofNanos(System.nanoTime() - published).toMillis();
        boolean sentinel = got.stream().anyMatch(Messages.withPayload("sentinel"));
        String observed = Messages.describe(got) + (sentinel ? "" : "; " + Messages.nothing(back, "sentinel"));
        if (!sentinel || !ctx.connackOf(back).sessionPresent()) {
            // a session that lost its queue breaks MQTT-4.5.0-1; it says nothing about expiry
            String why = "the queued messages were not delivered on resuming the session: " + observed
                    + (ctx.connackOf(back).sessionPresent() ? "" : " (CONNACK Session Present 0)");
            ctx.verdict("MQTT-3.3.2-5", Verdict.NOT_TESTED, "an expired message is not delivered", "the session's queue", why);
            ctx.verdict("MQTT-3.3.2-6", Verdict.NOT_TESTED, "the Message Expiry Interval is decremented", "the session's queue", why);
            return;
        }
        Optional<Publish> expired = got.stream().filter(Messages.withPayload("short")).findFirst();
        ctx.check("MQTT-3.3.2-5", expired.isEmpty(), "a message whose expiry passed while queued is not delivered",
                "no 'short' (1 s expiry) after " + waitedMillis + " ms offline", observed);
        Optional<Publish> kept = got.stream().filter(Messages.withPayload("long")).findFirst();
        // whole seconds: at least floor(waited) - 1 seconds must be taken off, and some time must be left
        long minTaken = Math.max(1, waitedMillis / 1000 - 1);
        long left = kept.map(x -> x.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1)).orElse(-1L);
        ctx.check("MQTT-3.3.2-6", left > 0 && left <= LONG_EXPIRY - minTaken,
                "the forwarded Message Expiry Interval is the received value less the time the message waited",
                "between 1 and " + (LONG_EXPIRY - minTaken) + " s left of " + LONG_EXPIRY + " s after " + waitedMillis + " ms",
                kept.map(x -> PacketFormat.describe(x) + " Message Expiry Interval " + (left < 0 ? "absent" : left))
                        .orElse("'long' was not delivered: " + observed));
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.3.3-7")
    void qos2_message_sent_before_it_expired_is_still_resent(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("q2exp");
        ProbeClient sub = ctx.connect("sub", Messages.persistent(ctx, false));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "sent-then-expired", QoS.EXACTLY_ONCE, 0, false).withProperties(expiry(1)));
        Optional<Publish> first = sub.awaitPublish(topic);
        if (first.isEmpty() || first.get().qos() != QoS.EXACTLY_ONCE) {
            ctx.fail("MQTT-4.3.3-7", "a QoS 2 delivery started", "a QoS 2 PUBLISH",
                    first.map(PacketFormat::describe).orElse(Messages.nothing(sub, "PUBLISH")));
            return;
        }
        // no PUBREC: the delivery stays in flight while the message's expiry passes
        sub.close();
        Messages.letTimePass(pub, PAST_EXPIRY);
        ProbeClient back = ctx.connect("subBack", Messages.resume(ctx, "sub"), Messages.manual(ctx));
        Optional<Publish> again = back.awaitPublish(topic);
        boolean ok = again.isPresent() && again.get().packetId() == first.get().packetId()
                && again.get().payload().equals(first.get().payload());
        ctx.check("MQTT-4.3.3-7", ok, "a QoS 2 PUBLISH already sent is not expired: it is resent on resuming",
                "the PUBLISH again with packet id " + first.get().packetId(),
                again.map(PacketFormat::describe).orElse(Messages.nothing(back, "PUBLISH")));
        if (again.isPresent()) {
            back.send(new Pubrec(again.get().packetId()));
            back.await(Pubrel.class).ifPresent(r -> {
                try {
                    back.send(new Pubcomp(r.packetId()));
                } catch (IOException ignored) {
                    // the close is in the trace
                }
            });
        }
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.3.3-13")
    void expired_qos2_message_still_completes_its_exchange(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("q2in");
        ProbeClient pub = ctx.connect("pub");
        int id = pub.nextPacketId();
        pub.send(Publish.of(topic, "expiring", QoS.EXACTLY_ONCE, id, false).withProperties(expiry(1)));
        Pubrec rec = (Pubrec) pub.expect(x -> x instanceof Pubrec && ((Pubrec) x).packetId() == id, "a PUBREC for " + id);
        if (rec.reasonCode() >= 0x80) {
            ctx.fail("MQTT-4.3.3-13", "the QoS 2 message is accepted", "PUBREC below 0x80", PacketFormat.describe(rec));
            return;
        }
        Messages.letTimePass(pub, PAST_EXPIRY);
        pub.send(new Pubrel(id));
        Optional<Pubcomp> comp = pub.await(Pubcomp.class);
        ctx.check("MQTT-4.3.3-13", comp.isPresent() && comp.get().packetId() == id && comp.get().reasonCode() < 0x80,
                "the QoS 2 exchange completes although the message expired", "PUBCOMP id " + id + " with a success code",
                comp.map(PacketFormat::describe).orElse(Messages.nothing(pub, "PUBCOMP")));
    }
}
