package dev.mqttharness.suite.framework;

/**
 * A step a scenario needs before it can judge anything failed (e.g. a plain CONNECT was refused).
 * The scenario's statements get ERROR: the suite could not test them.
 */
public final class SetupFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SetupFailed(String reason) {
        super(reason, null, false, false);
    }
}
