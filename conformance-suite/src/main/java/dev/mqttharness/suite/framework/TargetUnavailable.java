package dev.mqttharness.suite.framework;

/**
 * A target could not be launched or reached. {@code environment} is true when the environment
 * lacks what the target needs (no Docker, say): its scenarios are skipped, not failed.
 */
public final class TargetUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean environment;

    public TargetUnavailable(String message, boolean environment) {
        super(message, null, false, false);
        this.environment = environment;
    }

    public boolean environment() {
        return environment;
    }
}
