package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import org.junit.jupiter.api.Test;

/** launch: embedded, the reference broker in this JVM. */
class EmbeddedTargetIT {

    @Test
    void reference_starts_passes_readiness_and_stops() {
        TargetSpec spec = TestPaths.brokers().target("reference");
        RunningTarget t = Targets.launch(spec);
        try {
            assertThat(t.endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(t.endpoint().webSocket()).isNotNull();
            assertThat(t.endpoint().webSocket().toString()).startsWith("ws://127.0.0.1:").endsWith("/mqtt");
            assertThat(t.isAlive()).isTrue();
            assertThat(t.startupTime()).isPositive();
            Probes.assertAnswersConnect(t.endpoint(), MqttVersion.V3_1_1);
            Probes.assertAnswersConnect(t.endpoint(), MqttVersion.V5);

            int port = t.endpoint().port();
            t.restart();
            assertThat(t.endpoint().port()).as("a restart keeps a free port").isEqualTo(port);
            Probes.assertAnswersConnect(t.endpoint(), MqttVersion.V5);
            assertThat(t.recentLogs(5)).anyMatch(l -> l.contains("restarting"));
        } finally {
            t.close();
        }
        assertThat(t.isAlive()).isFalse();
    }
}
