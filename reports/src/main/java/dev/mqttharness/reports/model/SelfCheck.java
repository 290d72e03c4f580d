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
     * @param collateral other statements whose verdict changed against the fault-free run of the same
     *                   scenarios, e.g. {@code "MQTT-3.3.4-1 PASS -> ERROR in QosFlowScenarios.x"}
     * @param reason     for a survivor: why, and which scenario should have caught it
     * @param scenarios  the scenarios run against it (those that claim its statements)
     */
    public record Mutant(String fault, String version, List<String> statements, String mistake, boolean killed,
                         List<String> caughtBy, List<String> collateral, String reason, List<String> scenarios) {

        public Mutant {
            statements = statements == null ? List.of() : List.copyOf(statements);
            caughtBy = caughtBy == null ? List.of() : List.copyOf(caughtBy);
            collateral = collateral == null ? List.of() : List.copyOf(collateral);
            scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
        }

        /** A mutant without the list of scenarios run (the form before it was recorded). */
        public Mutant(String fault, String version, List<String> statements, String mistake, boolean killed,
                      List<String> caughtBy, List<String> collateral, String reason) {
            this(fault, version, statements, mistake, killed, caughtBy, collateral, reason, List.of());
        }
    }
}
