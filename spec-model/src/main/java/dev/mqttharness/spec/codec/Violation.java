package dev.mqttharness.spec.codec;

import java.util.List;

/** A rule a packet breaks, found before it is sent: the statements and a one-line reason. */
public record Violation(List<String> statements, String reason) {
    public Violation {
        statements = List.copyOf(statements);
    }

    @Override
    public String toString() {
        return reason + " (" + String.join(", ", statements) + ")";
    }
}
