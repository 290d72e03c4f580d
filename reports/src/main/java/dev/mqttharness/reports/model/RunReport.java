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
 * @param errors    one line per problem of the run as a whole (interrupted, no brokers.yaml, ...); a
 *                  target's own problems are in {@link TargetReport#errors()}
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
        SelfCheck selfCheck,
        List<String> errors) {

    public static final String SCHEMA = "mqtt-harness/run/v1";

    public RunReport {
        targets = targets == null ? List.of() : List.copyOf(targets);
        traces = traces == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(traces));
        fuzz = fuzz == null ? List.of() : List.copyOf(fuzz);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A report without run-level errors (the form before {@code errors} was added). */
    public RunReport(String schema, String runId, String tool, String command, long startedAt, long finishedAt,
                     boolean strict, boolean partial, List<TargetReport> targets, Map<String, TraceRecord> traces,
                     List<FuzzCampaign> fuzz, SelfCheck selfCheck) {
        this(schema, runId, tool, command, startedAt, finishedAt, strict, partial, targets, traces, fuzz, selfCheck,
                List.of());
    }

    /** A copy with other run-level errors. */
    public RunReport withErrors(List<String> more) {
        return new RunReport(schema, runId, tool, command, startedAt, finishedAt, strict, partial, targets, traces, fuzz,
                selfCheck, more);
    }

    /** A copy with other targets (e.g. re-judged against another baseline). */
    public RunReport withTargets(List<TargetReport> other) {
        return new RunReport(schema, runId, tool, command, startedAt, finishedAt, strict, partial, other, traces, fuzz,
                selfCheck, errors);
    }

    /** A copy with another command line, completion state and finish time. */
    public RunReport with(String otherCommand, boolean otherPartial, long otherFinishedAt) {
        return new RunReport(schema, runId, tool, otherCommand, startedAt, otherFinishedAt, strict, otherPartial, targets,
                traces, fuzz, selfCheck, errors);
    }

    /** A copy with fuzz campaigns (and their traces) added. */
    public RunReport withFuzz(List<FuzzCampaign> campaigns, Map<String, TraceRecord> moreTraces) {
        Map<String, TraceRecord> all = new java.util.LinkedHashMap<>(traces);
        if (moreTraces != null) {
            all.putAll(moreTraces);
        }
        List<FuzzCampaign> f = new java.util.ArrayList<>(fuzz);
        f.addAll(campaigns);
        return new RunReport(schema, runId, tool, command, startedAt, finishedAt, strict, partial, targets, all, f,
                selfCheck, errors);
    }
}
