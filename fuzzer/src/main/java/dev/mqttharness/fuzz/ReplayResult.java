package dev.mqttharness.fuzz;

import dev.mqttharness.fuzz.exec.CaseOutcome;
import dev.mqttharness.fuzz.oracle.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * One replay of a saved finding.
 *
 * @param finding    the saved finding
 * @param reproduced whether the same (statement, kind) was found again
 * @param outcome    the replayed case: its steps, trace and every finding
 */
public record ReplayResult(FindingRecord finding, boolean reproduced, CaseOutcome outcome) {

    /** A few lines for a terminal. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        out.add((reproduced ? "REPRODUCED  " : "NOT REPRODUCED  ") + finding.statement() + " " + finding.verdict()
                + " - " + finding.kind() + " (" + finding.target() + ")");
        out.add("expected: " + finding.expected());
        for (String s : outcome.steps()) {
            out.add("  " + s);
        }
        for (Finding f : outcome.findings()) {
            out.add("found: " + f.statementLabel() + " " + f.verdict() + " - " + f.kind() + ": " + f.observed());
        }
        return out;
    }
}
