package dev.mqttharness.fuzz.engine;

/**
 * A stretch {@code [start, end)} of a choice sequence that one generator call consumed, such as one
 * action of a case. Deleting a span is the shrinker's biggest step: it drops that part of the case.
 */
public record Span(int start, int end, String label) {
    public int length() {
        return end - start;
    }
}
