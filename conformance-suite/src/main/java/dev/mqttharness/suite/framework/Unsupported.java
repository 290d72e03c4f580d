package dev.mqttharness.suite.framework;

/** Thrown when the target lacks what a scenario needs: its statements are UNSUPPORTED. */
public final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unsupported(String reason) {
        super(reason, null, false, false);
    }
}
