package dev.mqttharness.cli;

/** Bad usage or configuration found after parsing (unknown broker, unreadable brokers.yaml...): exit 2, one line. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
