package dev.mqttharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.suite.framework.Coverage;
import org.junit.jupiter.api.Test;

/** Compares the catalog with the statements scenarios and checks claim, and prints coverage per version and section. */
class CoverageTest {
    /** Minimum share of W, W* and CN statements exercised, per version (the goal is all of them). */
    static final double REQUIRED = 1.0;

    @Test
    void every_claimed_statement_exists_in_its_versions_catalog() {
        assertThat(Coverage.compute().unknownIds()).isEmpty();
    }

    @Test
    void scenarios_exercise_the_wire_testable_statements() {
        Coverage c = Coverage.compute();
        System.out.println(c.table());
        assertThat(c.ratio(MqttVersion.V3_1_1)).as("3.1.1 coverage").isGreaterThanOrEqualTo(REQUIRED);
        assertThat(c.ratio(MqttVersion.V5)).as("5.0 coverage").isGreaterThanOrEqualTo(REQUIRED);
    }
}
