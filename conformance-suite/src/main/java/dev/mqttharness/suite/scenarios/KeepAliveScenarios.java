package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.time.Duration;
import java.util.Optional;

/**
 * Keep Alive (3.1.1 §3.1.2.10; 5.0 §3.1.2.10 and Server Keep Alive §3.2.2.3.14): a client that
 * stays silent is disconnected one and a half Keep Alive periods after its last packet, and the
 * close, being abnormal, publishes its Will.
 */
@ScenarioSuite
class KeepAliveScenarios {
    /** Longest Keep Alive (seconds) this scenario waits out; a broker imposing more is not judged here. */
    private static final int LONGEST_WAITED = 4;
    /** Slack on top of 1.5 x Keep Alive for scheduling and whole-second timers. */
    private static final long SLACK_MS = 1500;

    @Scenario
    @Verifies(version = V3_1_1, value = {"MQTT-3.1.2-24", "MQTT-3.1.2-8"})
    @Verifies(version = V5, value = {"MQTT-3.1.2-22", "MQTT-3.2.2-22", "MQTT-3.1.2-8"})
    void silent_client_is_closed_after_one_and_a_half_keep_alive(ScenarioContext ctx) throws Exception {
        String willTopic = ctx.topic("ka-will");
        ProbeClient sub = ctx.connect("sub");
        sub.subscribe(willTopic, QoS.AT_LEAST_ONCE);
        // Keep Alive 1 s, the smallest non-zero value; the clock starts with the CONNECT, the client's last packet
        long sentAt = System.nanoTime();
        ProbeClient silent = ctx.connect("silent", b -> b.keepAlive(1)
                .will(Will.of(willTopic, "keep alive expired", QoS.AT_LEAST_ONCE, false)));
        Connack ack = ctx.connackOf(silent);
        Integer serverKeepAlive = ctx.v5() && ack.properties().has(PropertyId.SERVER_KEEP_ALIVE)
                ? (int) ack.properties().number(PropertyId.SERVER_KEEP_ALIVE, 0) : null;
        int keepAlive = serverKeepAlive != null ? serverKeepAlive : 1;
        String kaId = ctx.v5() ? "MQTT-3.1.2-22" : "MQTT-3.1.2-24";
        if (keepAlive == 0 || keepAlive > LONGEST_WAITED) {
            String why = "the CONNACK sets Server Keep Alive " + keepAlive + ": " + PacketFormat.describe(ack);
            ctx.verdict(kaId, Verdict.NOT_TESTED, "close after 1.5 x Keep Alive", "", why);
            ctx.verdict("MQTT-3.2.2-22", Verdict.NOT_TESTED, "the client's Keep Alive applies", "", why);
            silent.close(); // still an abnormal close: the Will must come
        } else {
            long bound = keepAlive * 1500L + SLACK_MS;
            boolean closed = silent.awaitClosed(Duration.ofMillis(Math.max(0, bound - millisSince(sentAt))));
            long after = millisSince(sentAt);
            String observed = closed ? "closed " + after + " ms after CONNECT (" + silent.closedEvent().reason() + ")"
                    : "still open " + after + " ms after CONNECT";
            String expected = "close within 1.5 x " + keepAlive + " s (+" + SLACK_MS + " ms slack) of silence";
            ctx.check(kaId, closed, "a silent client is disconnected after 1.5 x Keep Alive", expected, observed);
            if (ctx.v5()) {
                if (serverKeepAlive == null) {
                    ctx.check("MQTT-3.2.2-22", closed, "without Server Keep Alive the client's Keep Alive is enforced",
                            expected, observed);
                } else {
                    ctx.verdict("MQTT-3.2.2-22", Verdict.NOT_TESTED, "the client's Keep Alive applies", "",
                            "the CONNACK sets Server Keep Alive " + serverKeepAlive);
                }
            }
            if (!closed) {
                silent.close();
            }
        }
        // the connection ended without DISCONNECT: the Will is published (3.1.1 MQTT-3.1.2-8, 5.0 MQTT-3.1.2-8)
        Optional<Publish> will = sub.awaitPublish(willTopic);
        ctx.check("MQTT-3.1.2-8", will.isPresent() && will.get().payload().toUtf8().equals("keep alive expired"),
                "the Will is published when the connection ends without DISCONNECT", "the Will on '" + willTopic + "'",
                will.map(PacketFormat::describe).orElse("no Will within " + ctx.timeout().toMillis() + " ms"));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
