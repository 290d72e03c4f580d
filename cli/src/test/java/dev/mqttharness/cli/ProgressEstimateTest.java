package dev.mqttharness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.ScenarioContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The progress bar's total is the number of scenario runs the launcher will really make. */
class ProgressEstimateTest {

    /** Two scenarios for both versions, one for 5.0 only; one of each verifies a section 3.12 statement. */
    static final class Fixture {
        @Scenario
        @Verifies(version = MqttVersion.V3_1_1, value = "MQTT-3.12.4-1")
        @Verifies(version = MqttVersion.V5, value = "MQTT-3.12.4-1")
        void both(ScenarioContext ctx) {
        }

        @Scenario
        @Verifies(version = MqttVersion.V3_1_1, value = "MQTT-3.1.0-1")
        @Verifies(version = MqttVersion.V5, value = "MQTT-3.1.0-1")
        void alsoBoth(ScenarioContext ctx) {
        }

        @Scenario(versions = MqttVersion.V5)
        @Verifies(version = MqttVersion.V5, value = "MQTT-3.12.4-1")
        void fiveOnly(ScenarioContext ctx) {
        }

        void notAScenario() {
        }
    }

    private static final Set<MqttVersion> BOTH = EnumSet.of(MqttVersion.V3_1_1, MqttVersion.V5);
    private static final Set<MqttVersion> FIVE = EnumSet.of(MqttVersion.V5);

    @Test
    void counts_each_target_only_for_the_versions_it_speaks() {
        List<Class<?>> classes = List.of(Fixture.class);
        assertEquals(5, Progress.estimate(classes, null, List.of(BOTH), List.of()));
        assertEquals(3, Progress.estimate(classes, null, List.of(FIVE), List.of()));
        assertEquals(8, Progress.estimate(classes, null, List.of(BOTH, FIVE), List.of()));
        assertEquals(0, Progress.estimate(classes, null, List.of(EnumSet.noneOf(MqttVersion.class)), List.of()));
    }

    @Test
    void honours_method_and_section_selection() {
        List<Class<?>> classes = List.of(Fixture.class);
        assertEquals(2, Progress.estimate(classes, "both", List.of(BOTH), List.of()));
        assertEquals(3, Progress.estimate(classes, null, List.of(BOTH), List.of("3.12")));
        assertEquals(2, Progress.estimate(classes, null, List.of(BOTH), List.of("3.1")));
    }
}
