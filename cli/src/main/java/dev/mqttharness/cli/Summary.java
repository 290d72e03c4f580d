package dev.mqttharness.cli;

import dev.mqttharness.reports.ReportFiles;
import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The lines certify prints at the end: per target and version the verdict counts, the regressions, the files. */
final class Summary {
    private static final int MAX_LISTED = 25;

    private Summary() {
    }

    static void print(PrintStream out, RunReport r, Path dir, int code, boolean baselineGiven) {
        out.println();
        for (String e : r.errors()) {
            out.println("! " + e);
        }
        for (TargetReport t : r.targets()) {
            String ready = t.readyMillis() >= 0 ? ", ready in " + t.readyMillis() + " ms" : "";
            out.println(t.name() + " (" + t.kind() + (t.endpoint().isEmpty() ? "" : ", " + t.endpoint()) + ready + ")"
                    + (RunStats.down(t) ? ": NOT TESTED — the broker could not be launched or reached" : ""));
            for (String e : t.errors()) {
                out.println("  ! " + e);
            }
            for (String v : RunStats.down(t) ? List.<String>of() : t.versions()) {
                out.println("  MQTT " + v + ": " + RunStats.line(RunStats.counts(t, v)));
            }
            List<StatementResult> reg = RunStats.regressions(t);
            if (!reg.isEmpty()) {
                out.println("  " + reg.size() + (baselineGiven || reg.stream().anyMatch(s -> s.baseline() != null)
                        ? " regression(s) against the baseline:" : " failing statement(s):"));
                for (StatementResult s : reg.subList(0, Math.min(MAX_LISTED, reg.size()))) {
                    Observation o = s.observations().stream().filter(x -> x.verdict() == s.verdict()).findFirst().orElse(null);
                    out.println("    " + s.verdict() + " " + s.version() + " " + s.id() + " — " + s.summary()
                            + (o == null ? "" : ": observed " + Progress.shorten(Brokers.oneLine(o.observed()), 160)));
                }
                if (reg.size() > MAX_LISTED) {
                    out.println("    … and " + (reg.size() - MAX_LISTED) + " more (see the report)");
                }
            }
        }
        out.println();
        out.println("report: " + dir.resolve(ReportFiles.HTML));
        out.println("        " + dir.resolve(ReportFiles.JSON) + ", " + dir.resolve(ReportFiles.JUNIT));
        String verdict = switch (code) {
            case MqttHarness.OK -> "PASSED: no FAIL" + (baselineGiven ? " (no regression against the baseline)" : "");
            case MqttHarness.FAILED -> "FAILED: " + RunStats.regressionCount(r) + " statement(s) "
                    + (baselineGiven ? "regressed against the baseline" : "failed");
            case MqttHarness.ENVIRONMENT -> "ENVIRONMENT FAILED: a broker could not be launched or reached";
            default -> "exit " + code;
        };
        out.println(verdict + " (exit " + code + ")");
    }
}
