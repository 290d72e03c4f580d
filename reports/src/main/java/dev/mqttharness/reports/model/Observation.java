package dev.mqttharness.reports.model;

import dev.mqttharness.spec.verdict.Verdict;

/**
 * One judgement of a statement by one scenario or check.
 *
 * @param scenario  stable case id: scenario class and method, e.g. "PublishRetainScenarios.retained_message_sent_on_subscribe"
 * @param check     what was judged, in a few words
 * @param verdict   the verdict of this observation
 * @param expected  the outcomes the spec allows
 * @param observed  what the broker did
 * @param traceId   the trace holding the evidence, or null
 * @param reproduce how to reproduce it (a command)
 */
public record Observation(String scenario, String check, Verdict verdict, String expected, String observed,
                          String traceId, String reproduce) {
}
