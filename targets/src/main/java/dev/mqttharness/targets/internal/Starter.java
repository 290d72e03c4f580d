package dev.mqttharness.targets.internal;

/** Starts one instance of a target; a launch kind. */
public interface Starter {

    /**
     * One-time work before the first start, not counted in the readiness bound: building a jvm
     * target's launcher, making sure a container image is on the machine.
     */
    default void prepare(dev.mqttharness.targets.TargetSpec spec, LogBuffer logs) throws Exception {
    }

    /**
     * Starts the broker and returns without waiting for readiness. If it fails, whatever it
     * started is stopped before it throws.
     */
    Instance start(StartContext ctx) throws Exception;
}
