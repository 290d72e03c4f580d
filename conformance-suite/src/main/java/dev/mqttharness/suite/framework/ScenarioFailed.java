package dev.mqttharness.suite.framework;

/** Ends a scenario after a FAIL was recorded: what follows depended on the step that failed. */
public final class ScenarioFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioFailed(String reason) {
        super(reason, null, false, false);
    }
}
