package dev.mqttharness.fuzz;

import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.TraceRecord;
import java.util.List;
import java.util.Map;

/**
 * Campaigns and replays as {@link RunReport}s, for the CLI's {@code fuzz} and {@code replay}: the
 * report's {@code fuzz} list holds the campaign, its {@code traces} the traces the findings cite.
 */
public final class FuzzReports {
    private static final String TOOL = "mqtt-harness 0.1.0";

    private FuzzReports() {
    }

    public static RunReport of(CampaignResult r, String command, long startedAt) {
        return new RunReport(RunReport.SCHEMA, Long.toString(startedAt, 36), TOOL, command, startedAt,
                System.currentTimeMillis(), false, false, List.of(), r.traces(), List.of(r.toReport()), null);
    }

    /** A replay: a one-case campaign whose finding is listed only if it reproduced. */
    public static RunReport of(ReplayResult r, String command, long startedAt) {
        FindingRecord f = r.finding();
        String traceId = "fuzz/" + f.target() + "/" + f.id() + "/replay";
        List<FuzzCampaign.Finding> found = r.reproduced()
                ? List.of(new FuzzCampaign.Finding(f.id(), f.statement(), f.kind(), f.verdict(), f.seed(),
                        r.outcome().steps(), traceId, null, f.replay()))
                : List.of();
        long millis = System.currentTimeMillis() - startedAt;
        FuzzCampaign c = new FuzzCampaign(f.target(), f.seed(), 1, millis, 1000.0 / Math.max(1, millis), Map.of(), Map.of(), found);
        TraceRecord trace = new TraceRecord(traceId, "replay of " + f.id(), f.target(), f.version(), startedAt,
                FindingRecord.events(r.outcome().trace()), r.outcome().trace().dropped());
        return new RunReport(RunReport.SCHEMA, Long.toString(startedAt, 36), TOOL, command, startedAt,
                System.currentTimeMillis(), false, false, List.of(), Map.of(traceId, trace), List.of(c), null);
    }
}
