package dev.mqttharness.spec.check;

import dev.mqttharness.spec.verdict.Verdict;

/**
 * One judgement by a check: the statement (ID or section reference), what was checked, the
 * verdict, the outcomes the spec allows and what was observed.
 */
public record CheckResult(String statement, String check, Verdict verdict, String expected, String observed) {
}
