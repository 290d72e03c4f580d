package dev.mqttharness.suite.scenarios;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import dev.mqttharness.suite.framework.ScenarioSuite;
import java.util.Optional;

/** PINGREQ / PINGRESP (3.1.1 and 5.0 §3.12, §3.13): every PINGREQ gets its own PINGRESP. */
@ScenarioSuite
class PingScenarios {
    private static final int PINGS = 3;

    @Scenario
    @Verifies(version = V3_1_1, value = "MQTT-3.12.4-1")
    @Verifies(version = V5, value = "MQTT-3.12.4-1")
    void every_pingreq_is_answered_with_a_pingresp(ScenarioContext ctx) throws Exception {
        ProbeClient p = ctx.connect("ping");
        // several PINGREQs back to back: one PINGRESP each, none merged or dropped
        for (int i = 0; i < PINGS; i++) {
            p.send(Pingreq.INSTANCE);
        }
        int answered = 0;
        for (int i = 0; i < PINGS; i++) {
            Optional<Pingresp> r = p.await(Pingresp.class);
            if (r.isEmpty()) {
                break;
            }
            answered++;
        }
        ctx.check("MQTT-3.12.4-1", answered == PINGS, "each PINGREQ is answered with a PINGRESP",
                PINGS + " PINGRESPs", answered + " PINGRESPs" + (p.isClosed() ? ", then the connection closed" : ""));
    }
}
