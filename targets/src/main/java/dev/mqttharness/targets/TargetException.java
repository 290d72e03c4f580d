package dev.mqttharness.targets;

/** Something about a target went wrong; the message is meant for the person running the harness. */
public class TargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TargetException(String message) {
        super(message);
    }

    public TargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
