package dev.mqttharness.fuzz;

import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.TraceRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a campaign did and found.
 *
 * @param target              the broker
 * @param seed                the campaign seed
 * @param cases               cases run
 * @param fuzzMillis          time spent running cases
 * @param totalMillis         wall time, shrinking and saving included
 * @param casesPerSecond      cases / fuzzing time
 * @param packetsByType       packets generated per type
 * @param statementsExercised cases that exercised each statement ("5.0 MQTT-...")
 * @param findings            deduplicated findings, shrunk
 * @param files               the saved finding files, in the order of {@code findings} (null where not saved)
 * @param errors              harness and environment problems, counted by kind
 */
public record CampaignResult(String target, long seed, long cases, long fuzzMillis, long totalMillis,
                             double casesPerSecond, Map<String, Long> packetsByType,
                             Map<String, Long> statementsExercised, List<FindingRecord> findings, List<String> files,
                             Map<String, Long> errors) {

    /** The report model's view of this campaign (findings reference their traces by id, see {@link #traces()}). */
    public FuzzCampaign toReport() {
        List<FuzzCampaign.Finding> out = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            FindingRecord f = findings.get(i);
            String file = files.get(i);
            out.add(new FuzzCampaign.Finding(f.id(), f.statement(), f.kind(), f.verdict(), f.seed(), f.steps(),
                    traceId(f), file, f.replay()));
        }
        return new FuzzCampaign(target, seed, cases, totalMillis, casesPerSecond, packetsByType, statementsExercised, out);
    }

    /** The shrunk traces of the findings, keyed as {@link FuzzCampaign.Finding#traceId()} names them. */
    public Map<String, TraceRecord> traces() {
        Map<String, TraceRecord> out = new LinkedHashMap<>();
        for (FindingRecord f : findings) {
            out.put(traceId(f), new TraceRecord(traceId(f), "fuzz " + f.kind(), target, f.version(), 0, f.trace(), 0));
        }
        return out;
    }

    private String traceId(FindingRecord f) {
        return "fuzz/" + target + "/" + f.id();
    }
}
