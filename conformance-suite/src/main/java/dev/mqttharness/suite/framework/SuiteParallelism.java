package dev.mqttharness.suite.framework;

import java.util.Map;

/**
 * How scenarios run concurrently: they are isolated (unique client identifiers, topics and share
 * names) and spend their time waiting on the network, so classes per target and methods per
 * version all run at once, 16 at a time. Passed as JUnit configuration parameters by whoever
 * launches the suite (the CLI, the conformance-suite's Failsafe run), not through a
 * junit-platform.properties file, which would leak into every module that depends on the suite.
 */
public final class SuiteParallelism {
    public static final Map<String, String> PARAMETERS = Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "16",
            "junit.jupiter.execution.parallel.config.fixed.max-pool-size", "64");

    private SuiteParallelism() {
    }
}
