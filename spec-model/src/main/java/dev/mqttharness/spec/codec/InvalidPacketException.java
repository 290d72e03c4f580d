package dev.mqttharness.spec.codec;

import java.util.List;

/** Thrown by the strict encoder for a packet that breaks the rules of its version. */
public final class InvalidPacketException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidPacketException(List<Violation> violations) {
        super(violations.toString());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
