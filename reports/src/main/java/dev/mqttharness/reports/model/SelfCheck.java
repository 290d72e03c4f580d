package dev.mqttharness.reports.model;

import java.util.List;

/**
 * The suite's self-validation: faults injected into the reference broker and whether the suite
 * caught each one.
 *
 * @param killed     faults the suite caught
 * @param total      faults run
 * @param byVersion  score per version
 * @param bySection  score per spec section
 * @param mutants    every fault with its outcome
 * @param wallMillis wall time of the mutation run
 */
public record SelfCheck(int killed, int total, List<Score> byVersion, List<Score> bySection, List<Mutant> mutants,
                        long wallMillis) {

    /** killed / total for a group (a version, a section). */
    public record Score(String group, int killed, int total) {
    }

    /**
     * One fault and its outcome.
     *
     * @param fault      fault id
     * @param version    version it was run in
     * @param statements statements it breaks
     * @param mistake    what the broker does wrong
     * @param killed     the suite gave a claimed statement FAIL (or NON_STRICT for a SHOULD)
     * @param caughtBy   verdicts that caught it
     * @param collateral other statements whose verdict changed
     * @param reason     for a survivor: why, and which scenario should have caught it
     */
    public record Mutant(String fault, String version, List<String> statements, String mistake, boolean killed,
                         List<String> caughtBy, List<String> collateral, String reason) {
    }
}
