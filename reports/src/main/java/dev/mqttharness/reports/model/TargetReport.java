package dev.mqttharness.reports.model;

import java.util.List;

/**
 * The verdicts for one broker.
 *
 * @param name       the broker's name in brokers.yaml (or "host:port" for an ad-hoc target)
 * @param kind       launch kind: embedded, jvm, process, container, external
 * @param endpoint   where it was reached
 * @param versions   protocol versions tested ("3.1.1", "5.0")
 * @param lacks      capabilities the target declares it lacks
 * @param status     OK, or ERROR when the target could not be tested (never blamed on the broker)
 * @param errors     one line per environment or harness problem (launch failure, crash, ...)
 * @param readyMillis time from launch to ready, or -1
 * @param statements every statement of every tested version, with its verdict
 * @param logTail    last lines of the broker's log, when captured
 */
public record TargetReport(
        String name,
        String kind,
        String endpoint,
        List<String> versions,
        List<String> lacks,
        String status,
        List<String> errors,
        long readyMillis,
        List<StatementResult> statements,
        List<String> logTail) {

    public TargetReport {
        versions = versions == null ? List.of() : List.copyOf(versions);
        lacks = lacks == null ? List.of() : List.copyOf(lacks);
        errors = errors == null ? List.of() : List.copyOf(errors);
        statements = statements == null ? List.of() : List.copyOf(statements);
        logTail = logTail == null ? List.of() : List.copyOf(logTail);
    }
}
