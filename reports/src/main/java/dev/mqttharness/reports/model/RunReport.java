package dev.mqttharness.reports.model;

import java.util.List;
import java.util.Map;

/**
 * One run of the harness, as written to {@code report.json} (schema {@value #SCHEMA}, documented in
 * docs/report-schema.md) and rendered to HTML and JUnit XML. A run that was interrupted is still a
 * valid report with {@code partial} set.
 *
 * @param runId     unique id of the run
 * @param tool      harness name and version
 * @param command   the command line that produced it, for reproduction
 * @param startedAt epoch milliseconds
 * @param finishedAt epoch milliseconds (0 while running)
 * @param strict    SHOULD-level deviations counted as failures
 * @param partial   the run did not finish (interrupted, or still being written)
 * @param targets   one entry per broker certified
 * @param traces    evidence, by trace id, referenced from observations
 * @param fuzz      fuzz campaigns of this run, if any
 * @param selfCheck the suite's mutation score, if measured
 */
public record RunReport(
        String schema,
        String runId,
        String tool,
        String command,
        long startedAt,
        long finishedAt,
        boolean strict,
        boolean partial,
        List<TargetReport> targets,
        Map<String, TraceRecord> traces,
        List<FuzzCampaign> fuzz,
        SelfCheck selfCheck) {

    public static final String SCHEMA = "mqtt-harness/run/v1";

    public RunReport {
        targets = targets == null ? List.of() : List.copyOf(targets);
        traces = traces == null ? Map.of() : Map.copyOf(traces);
        fuzz = fuzz == null ? List.of() : List.copyOf(fuzz);
    }
}
