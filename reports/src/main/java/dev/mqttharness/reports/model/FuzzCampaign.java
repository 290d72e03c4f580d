package dev.mqttharness.reports.model;

import java.util.List;
import java.util.Map;

/**
 * A fuzzing campaign's figures and findings.
 *
 * @param target        the broker fuzzed
 * @param seed          the campaign's seed
 * @param cases         cases run
 * @param durationMillis wall time
 * @param casesPerSecond throughput
 * @param packetsByType generated packets per type
 * @param statementsExercised how many cases exercised each statement
 * @param findings      deduplicated findings
 */
public record FuzzCampaign(String target, long seed, long cases, long durationMillis, double casesPerSecond,
                           Map<String, Long> packetsByType, Map<String, Long> statementsExercised,
                           List<Finding> findings) {

    /**
     * One finding: the statement broken, a shrunk reproducer and how to replay it.
     *
     * @param id         stable id (statement and kind)
     * @param statement  "5.0 MQTT-x.y.z-n"
     * @param kind       what went wrong, e.g. "accepted malformed packet", "crash", "unexpected delivery"
     * @param verdict    FAIL or NON_STRICT
     * @param seed       the case's seed
     * @param actions    the shrunk action sequence, one line each
     * @param traceId    trace of the shrunk case
     * @param file       the saved finding file
     * @param replay     the command that replays it
     */
    public record Finding(String id, String statement, String kind, String verdict, long seed, List<String> actions,
                          String traceId, String file, String replay) {
    }
}
