package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.List;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * Sessions (3.1.1 §3.1.2.4, §3.2.2.2, §4.1; 5.0 §3.1.2.4, §3.1.2.11.2, §3.2.2.1.1, §4.1): a
 * persistent session keeps its subscriptions and queues QoS 1 / 2 messages while the client is away;
 * a clean start discards it; session state lives as long as the connection; retained messages are
 * not session state.
 */
@ScenarioSuite
class SessionScenarios {
    /** Session Expiry Interval used for persistent 5.0 sessions (the scenario context removes them afterwards). */
    static final long EXPIRY = 300;

    /** Clean Session / Clean Start 0 and, in 5.0, a Session Expiry Interval that outlives the scenario. */
    static Connect.Builder persistent(ScenarioContext ctx, Connect.Builder b) {
        b.cleanStart(false);
        return ctx.v5() ? b.property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, EXPIRY)) : b;
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.2.2-3", "MQTT-3.2.2-2", "MQTT-3.1.2-4", "MQTT-3.1.2-5", "MQTT-3.1.4-3",
            "MQTT-4.1.0-1", "MQTT-3.2.0-1"})
    @Verifies(version = V5, value = {"MQTT-3.2.2-3", "MQTT-3.1.2-6", "MQTT-3.1.2-5", "MQTT-3.1.2-23", "MQTT-3.1.4-4",
            "MQTT-4.1.0-1", "MQTT-3.2.0-1"})
    void persistent_session_keeps_subscriptions_and_queues_messages(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.PERSISTENT_SESSIONS);
        String topic = ctx.topic("queued");
        Lifecycle.Attempt first = Lifecycle.connectAs(ctx, "sub", "sub", b -> persistent(ctx, b));
        if (!first.accepted()) {
            throw new dev.mqttharness.suite.framework.SetupFailed("persistent CONNECT refused: " + first.describe());
        }
        // a never-used Client Identifier with Clean Session / Clean Start 0: a new session, Session Present 0
        ctx.check("MQTT-3.2.2-3", !first.sessionPresent(), "Session Present 0 when no session exists",
                "CONNACK 0x00 with Session Present 0", first.describe());
        Suback granted = first.probe().subscribe(topic, QoS.EXACTLY_ONCE);
        int g = granted.reasonCodes().get(0);
        if (g == 0 || g >= 0x80) {
            throw new TestAbortedException("the subscription was granted " + String.format("0x%02X", g)
                    + ": no QoS 1 / 2 messages to queue");
        }
        Lifecycle.disconnect(first.probe());
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "q1", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(topic, "q2", g == 2 ? QoS.EXACTLY_ONCE : QoS.AT_LEAST_ONCE, 0, false));
        Lifecycle.Attempt back = Lifecycle.connectAs(ctx, "back", "sub", b -> persistent(ctx, b),
                ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout()).withAutoAck(true));
        if (!back.accepted()) {
            throw new dev.mqttharness.suite.framework.SetupFailed("reconnect refused: " + back.describe());
        }
        String resumed = back.describe();
        // a resumed session with messages waiting is where a broker is tempted to send them before the CONNACK
        List<Packet> arrived = Lifecycle.received(ctx, back.probe());
        ctx.check("MQTT-3.2.0-1", !arrived.isEmpty() && arrived.get(0) instanceof Connack,
                "the CONNACK comes before the queued messages", "CONNACK first",
                "first packet: " + (arrived.isEmpty() ? "none" : PacketFormat.describe(arrived.get(0))));
        ctx.check(ctx.v5() ? "MQTT-3.2.2-3" : "MQTT-3.2.2-2", back.sessionPresent(),
                "Session Present 1 when the session is resumed", "CONNACK 0x00 with Session Present 1", resumed);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-6", back.sessionPresent(), "Clean Start 0 on an unknown identifier creates a session",
                    "the session created by the first CONNECT is found again", resumed);
        }
        ctx.check(ctx.v5() ? "MQTT-3.1.4-4" : "MQTT-3.1.4-3", back.sessionPresent(),
                "the CONNECT is handled by the Clean Session / Clean Start rules", "the stored session resumed", resumed);
        // messages published while the client was away are delivered now
        ProbeClient p = back.probe();
        Optional<Publish> q1 = awaitPayload(p, topic, "q1");
        Optional<Publish> q2 = awaitPayload(p, topic, "q2");
        String queued = "q1: " + q1.map(PacketFormat::describe).orElse("missing") + "; q2: "
                + q2.map(PacketFormat::describe).orElse("missing");
        boolean queuedOk = q1.isPresent() && q2.isPresent();
        ctx.check(ctx.v5() ? "MQTT-3.1.2-5" : "MQTT-3.1.2-5", queuedOk,
                "QoS 1 and 2 messages for an absent client are kept and delivered on return",
                "both messages published while away", queued);
        if (ctx.v5()) {
            ctx.check("MQTT-3.1.2-23", back.sessionPresent() && queuedOk,
                    "with Session Expiry Interval > 0 the session outlives the connection",
                    "Session Present 1 and the queued messages", resumed + "; " + queued);
        }
        // the subscription itself is part of the resumed session
        pub.publish(Publish.of(topic, "live", QoS.AT_LEAST_ONCE, 0, false));
        Optional<Publish> live = awaitPayload(p, topic, "live");
        String liveObs = live.map(PacketFormat::describe).orElse("no delivery within " + ctx.timeout().toMillis() + " ms");
        ctx.check(ctx.v5() ? "MQTT-3.1.2-5" : "MQTT-3.1.2-4", live.isPresent(),
                "the resumed session keeps its subscriptions", "a new message on the old subscription", liveObs);
        ctx.check("MQTT-4.1.0-1", queuedOk && live.isPresent(), "session state is kept while the session lasts",
                "queued messages and the subscription after reconnecting", queued + "; live: " + liveObs);
    }

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-6", "MQTT-3.1.4-3", "MQTT-3.2.2-1"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-4", "MQTT-3.1.4-4", "MQTT-3.2.2-2"})
    void clean_start_discards_the_previous_session(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.PERSISTENT_SESSIONS);
        String topic = ctx.topic("old");
        String sentinel = ctx.topic("sentinel");
        ProbeClient old = Lifecycle.reconnect(ctx, "old", "c", b -> persistent(ctx, b));
        old.subscribe(topic, QoS.AT_LEAST_ONCE);
        Lifecycle.disconnect(old);
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "queued", QoS.AT_LEAST_ONCE, 0, false));
        // Clean Session / Clean Start 1: the stored session, with its queued message, is gone
        ProbeClient clean = Lifecycle.reconnect(ctx, "clean", "c", b -> b.cleanStart(true));
        Connack cleanAck = Lifecycle.lastReceived(ctx, clean, Connack.class);
        // a stored session exists, yet a clean start begins a new one: Session Present 0
        ctx.check(ctx.v5() ? "MQTT-3.2.2-2" : "MQTT-3.2.2-1", cleanAck != null && !cleanAck.sessionPresent(),
                "Session Present 0 on a clean start, though a session was stored", "CONNACK 0x00 with Session Present 0",
                cleanAck == null ? "no CONNACK" : PacketFormat.describe(cleanAck));
        List<Packet> delivered = clean.barrier();
        String id = ctx.v5() ? "MQTT-3.1.2-4" : "MQTT-3.1.2-6";
        ctx.check(id, delivered.isEmpty(), "a clean start discards the stored session",
                "no message queued for the old session", "received " + Lifecycle.describe(delivered));
        Lifecycle.disconnect(clean);
        // ... and the clean session is not stored: a later Clean Session 0 connection finds nothing
        Lifecycle.Attempt after = Lifecycle.connectAs(ctx, "after", "c", b -> persistent(ctx, b));
        if (!after.accepted()) {
            throw new dev.mqttharness.suite.framework.SetupFailed("reconnect refused: " + after.describe());
        }
        after.probe().subscribe(sentinel, QoS.AT_LEAST_ONCE);
        pub.publish(Publish.of(topic, "after", QoS.AT_LEAST_ONCE, 0, false));
        pub.publish(Publish.of(sentinel, "sentinel", QoS.AT_LEAST_ONCE, 0, false));
        after.probe().expect(p -> p instanceof Publish && ((Publish) p).topic().toString().equals(sentinel), "the sentinel");
        List<Publish> old2 = Lifecycle.drainPublishes(after.probe(), topic);
        String observed = after.describe() + "; old subscription delivered " + Lifecycle.describe(old2);
        ctx.check(id, !after.sessionPresent() && old2.isEmpty(), "nothing of the discarded session comes back",
                "Session Present 0 and no delivery on the old subscription", observed);
        ctx.check(ctx.v5() ? "MQTT-3.1.4-4" : "MQTT-3.1.4-3", delivered.isEmpty() && !after.sessionPresent() && old2.isEmpty(),
                "the CONNECT is handled by the Clean Session / Clean Start rules", "the old session discarded", observed);
    }

    @Scenario(versions = V3_1_1)
    @Verifies(version = V3_1_1, value = "MQTT-3.1.2-7")
    void retained_messages_outlive_the_session_that_published_them(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.RETAIN);
        String topic = ctx.topic("kept");
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "kept", QoS.AT_LEAST_ONCE, 0, true));
        Lifecycle.disconnect(pub); // the Clean Session 1 session ends here
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(topic, QoS.AT_LEAST_ONCE);
        Optional<Publish> got = sub.awaitPublish(topic);
        ctx.check("MQTT-3.1.2-7", got.isPresent() && got.get().payload().toUtf8().equals("kept"),
                "retained messages are not deleted with the session", "the retained message after its publisher's session ended",
                got.map(PacketFormat::describe).orElse("nothing within " + ctx.timeout().toMillis() + " ms"));
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.1.0-2")
    @Verifies(version = V5, value = "MQTT-4.1.0-1")
    void session_state_lasts_as_long_as_the_connection(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("open");
        // a session that ends with its connection (Clean Session 1 / Session Expiry 0) still keeps its
        // state while the connection is open: a QoS 2 delivery left half done is finished later
        ProbeClient sub = ctx.connect("sub");
        Suback granted = sub.subscribe(topic, QoS.EXACTLY_ONCE);
        if (granted.reasonCodes().get(0) != 2) {
            throw new TestAbortedException("QoS 2 not granted: " + PacketFormat.describe(granted));
        }
        ProbeClient pub = ctx.connect("pub");
        pub.publish(Publish.of(topic, "first", QoS.EXACTLY_ONCE, 0, false));
        Publish first = (Publish) sub.expect(p -> p instanceof Publish && ((Publish) p).payload().toUtf8().equals("first"),
                "the QoS 2 message");
        // more traffic on the session before the QoS 2 flow completes: a subscription and a ping, not a
        // second delivery (a broker may hold further deliveries back while one is unacknowledged)
        sub.subscribe(ctx.topic("other"), QoS.AT_LEAST_ONCE);
        sub.barrier();
        sub.send(new Pubrec(first.packetId()));
        Optional<Packet> rel = sub.awaitPacket(p -> p instanceof Pubrel && ((Pubrel) p).packetId() == first.packetId(),
                ctx.timeout());
        String observed = rel.map(PacketFormat::describe).orElse("no PUBREL" + (sub.isClosed() ? "; the connection closed" : ""));
        String id = ctx.v5() ? "MQTT-4.1.0-1" : "MQTT-4.1.0-2";
        ctx.check(id, rel.isPresent() && ((Pubrel) rel.get()).reasonCode() == 0,
                "session state is kept while the connection is open", "PUBREL (0x00) for packet " + first.packetId(), observed);
        if (rel.isPresent()) {
            sub.send(new Pubcomp(first.packetId()));
        }
    }

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-4.1.0-1")
    @Verifies(version = V5, value = "MQTT-4.1.0-1")
    void incomplete_qos2_publish_is_completed_after_reconnecting(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.PERSISTENT_SESSIONS);
        ctx.require(Capability.QOS2);
        String topic = ctx.topic("inflight");
        ProbeClient sub = ctx.connect("sub", b -> b, ProbeClient.Options.DEFAULT.withTimeout(ctx.timeout()).withAutoAck(true));
        sub.subscribe(topic, QoS.EXACTLY_ONCE);
        // the publisher's session holds the half-done QoS 2 exchange across a reconnect
        ProbeClient pub = Lifecycle.reconnect(ctx, "pub", "pub", b -> persistent(ctx, b));
        int id = 7;
        pub.send(Publish.of(topic, "once", QoS.EXACTLY_ONCE, id, false));
        pub.expect(p -> p instanceof Pubrec && ((Pubrec) p).packetId() == id, "PUBREC for packet " + id);
        Lifecycle.disconnect(pub);
        Lifecycle.Attempt back = Lifecycle.connectAs(ctx, "pub2", "pub", b -> persistent(ctx, b));
        if (!back.accepted() || !back.sessionPresent()) {
            throw new TestAbortedException("the publisher's session was not resumed: " + back.describe());
        }
        back.probe().send(new Pubrel(id));
        Optional<Packet> comp = back.probe().awaitPacket(p -> p instanceof Pubcomp && ((Pubcomp) p).packetId() == id, ctx.timeout());
        List<Publish> copies = Lifecycle.sentinel(sub, topic);
        long delivered = copies.stream().filter(p -> p.payload().toUtf8().equals("once")).count();
        String observed = comp.map(PacketFormat::describe).orElse("no PUBCOMP") + "; subscriber received " + delivered + " copies";
        // 5.0 PUBCOMP 0x92 (Packet Identifier not found) would mean the session lost the exchange
        boolean ok = comp.isPresent() && ((Pubcomp) comp.get()).reasonCode() == 0 && delivered == 1;
        ctx.check("MQTT-4.1.0-1", ok, "the session keeps an unfinished QoS 2 exchange across a reconnect",
                "PUBCOMP 0x00 for packet " + id + " and exactly one delivery", observed);
    }

    private static Optional<Publish> awaitPayload(ProbeClient p, String topic, String payload) {
        return p.awaitPacket(x -> x instanceof Publish && ((Publish) x).topic().toString().equals(topic)
                && ((Publish) x).payload().toUtf8().equals(payload), p.timeout()).map(Publish.class::cast);
    }
}
