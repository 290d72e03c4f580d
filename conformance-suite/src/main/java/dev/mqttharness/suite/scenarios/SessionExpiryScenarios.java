package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.suite.framework.Capability;
import dev.mqttharness.suite.framework.Lifecycle;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import dev.mqttharness.suite.framework.SetupFailed;
import java.time.Duration;
import java.util.Optional;

/**
 * Session Expiry Interval (5.0 §3.1.2.11.2, §3.14.2.2.2, §4.1): a session ends once the interval
 * has passed after its connection closed, with the interval the DISCONNECT set if it set one. A
 * delayed Will (delay longer than the session) serves as the clock: it is published when the session
 * ends, so the scenarios wait for an event, not for a fixed time.
 */
@ScenarioSuite
class SessionExpiryScenarios {

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-4.1.0-2", "MQTT-3.1.2-8"})
    void session_ends_when_its_expiry_interval_has_passed(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SESSION_EXPIRY);
        String willTopic = ctx.topic("ended");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(willTopic, QoS.AT_LEAST_ONCE);
        long expiry = 2;
        // Will Delay 60 s, far beyond the session: the Will is published when the session ends (MQTT-3.1.2-8)
        Properties willProps = Properties.builder().number(PropertyId.WILL_DELAY_INTERVAL, 60).build();
        ProbeClient c = Lifecycle.reconnect(ctx, "short", "short", b -> b.cleanStart(true)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, expiry))
                .will(Will.of(willTopic, "session ended", QoS.AT_LEAST_ONCE, false).withProperties(willProps)));
        c.subscribe(ctx.topic("state"), QoS.AT_LEAST_ONCE);
        long closedAt = System.nanoTime();
        c.close();
        // whole-second timers may end the session up to 1 s early; allow as much late, plus slack
        Optional<Publish> will = sub.awaitPublish(willTopic, Duration.ofMillis(expiry * 1000 + 2500));
        long willAfter = millisSince(closedAt);
        String willObs = will.isPresent()
                ? PacketFormat.describe(will.get()) + " " + willAfter + " ms after the close"
                : "no Will within " + willAfter + " ms";
        ctx.check("MQTT-3.1.2-8", will.isPresent() && willAfter >= (expiry - 1) * 1000,
                "a delayed Will is published when the session ends first",
                "the Will when the " + expiry + " s session ends, before its 60 s delay", willObs);
        // reconnect only once the interval has certainly passed, even if the Will came too early
        long waitMore = (expiry + 1) * 1000 - millisSince(closedAt);
        if (!will.isPresent() || willAfter < (expiry - 1) * 1000) {
            sub.awaitClosed(Duration.ofMillis(Math.max(0, waitMore))); // a bounded pause: the interval must pass
        }
        Lifecycle.Attempt back = Lifecycle.connectAs(ctx, "back", "short", b -> b.cleanStart(false)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0)));
        if (!back.accepted()) {
            throw new SetupFailed("reconnect refused: " + back.describe());
        }
        ctx.check("MQTT-4.1.0-2", !back.sessionPresent(), "the session is discarded once its expiry interval has passed",
                "Session Present 0 " + millisSince(closedAt) + " ms after a close with Session Expiry " + expiry + " s",
                back.describe());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = "MQTT-4.1.0-2")
    void session_expiry_set_to_zero_on_disconnect_ends_the_session(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SESSION_EXPIRY);
        ProbeClient c = Lifecycle.reconnect(ctx, "long", "zeroed", b -> SessionScenarios.persistent(ctx, b).cleanStart(true));
        c.subscribe(ctx.topic("state"), QoS.AT_LEAST_ONCE);
        // §3.14.2.2.2: the DISCONNECT's Session Expiry Interval replaces the CONNECT's; 0 ends the session now
        Lifecycle.disconnect(c, new Disconnect(0, Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0))),
                Duration.ofSeconds(1));
        Lifecycle.Attempt back = Lifecycle.connectAs(ctx, "back", "zeroed", b -> SessionScenarios.persistent(ctx, b));
        if (!back.accepted()) {
            throw new SetupFailed("reconnect refused: " + back.describe());
        }
        ctx.check("MQTT-4.1.0-2", !back.sessionPresent(), "a session whose expiry the DISCONNECT set to 0 ends with the connection",
                "Session Present 0", back.describe());
    }

    @Scenario(versions = V5)
    @Verifies(version = V5, value = {"MQTT-3.1.2-23", "MQTT-3.1.2-8"})
    void session_expiry_raised_on_disconnect_keeps_the_session(ScenarioContext ctx) throws Exception {
        ctx.require(Capability.SESSION_EXPIRY);
        ctx.require(Capability.WILL_DELAY);
        String willTopic = ctx.topic("raised");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(willTopic, QoS.AT_LEAST_ONCE);
        long expiry = 1;
        long delay = 3;
        Properties willProps = Properties.builder().number(PropertyId.WILL_DELAY_INTERVAL, delay).build();
        ProbeClient c = Lifecycle.reconnect(ctx, "c", "raised", b -> b.cleanStart(true)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, expiry))
                .will(Will.of(willTopic, "delayed", QoS.AT_LEAST_ONCE, false).withProperties(willProps)));
        c.subscribe(ctx.topic("state"), QoS.AT_LEAST_ONCE);
        // DISCONNECT 0x04 keeps the Will (published after its delay) and raises the expiry to 300 s
        long closedAt = System.nanoTime();
        Lifecycle.disconnect(c, new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE.value(),
                Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, SessionScenarios.EXPIRY))), Duration.ofSeconds(1));
        Optional<Publish> will = sub.awaitPublish(willTopic, Duration.ofMillis(delay * 1000 + 2500));
        long willAfter = millisSince(closedAt);
        ctx.check("MQTT-3.1.2-8", will.isPresent(), "DISCONNECT 0x04 keeps the Will, which is published",
                "the Will after its " + delay + " s delay",
                will.isPresent() ? PacketFormat.describe(will.get()) + " " + willAfter + " ms after DISCONNECT"
                        : "no Will within " + willAfter + " ms");
        // the original 1 s session would be gone by now (even with a whole-second timer); the raised one is not
        long waitMore = (expiry + 1) * 1000 + 500 - millisSince(closedAt);
        if (waitMore > 0) {
            sub.awaitClosed(Duration.ofMillis(waitMore)); // a bounded pause: the old interval must pass
        }
        Lifecycle.Attempt back = Lifecycle.connectAs(ctx, "back", "raised", b -> SessionScenarios.persistent(ctx, b));
        if (!back.accepted()) {
            throw new SetupFailed("reconnect refused: " + back.describe());
        }
        ctx.check("MQTT-3.1.2-23", back.sessionPresent(), "the session is kept for the Session Expiry Interval the DISCONNECT set",
                "Session Present 1 " + millisSince(closedAt) + " ms after DISCONNECT with Session Expiry " + SessionScenarios.EXPIRY,
                back.describe());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
