package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;

/**
 * One judgement of one statement by a scenario or a trace check.
 *
 * @param key      the statement
 * @param scenario stable id of the scenario (Class.method)
 * @param check    what was judged, in a few words
 * @param verdict  PASS, FAIL, NON_STRICT, INFO, UNSUPPORTED, NOT_TESTED or ERROR
 * @param expected the outcomes the spec allows
 * @param observed what the broker did
 */
public record Judgement(StatementKey key, String scenario, String check, Verdict verdict, String expected,
                        String observed) {
}
