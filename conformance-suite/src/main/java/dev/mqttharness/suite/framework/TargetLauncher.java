package dev.mqttharness.suite.framework;

import java.util.List;

/** Resolves target names to running brokers. The implementation reads brokers.yaml through the targets module. */
public interface TargetLauncher {
    /** Names certified when none are given. */
    List<String> defaultTargets(SuiteSettings settings) throws Exception;

    /** Launches (or reaches) a target and waits until it is ready. */
    TargetHandle launch(String name, SuiteSettings settings) throws Exception;
}
