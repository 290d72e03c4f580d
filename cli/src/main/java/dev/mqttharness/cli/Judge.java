package dev.mqttharness.cli;

import dev.mqttharness.reports.RunStats;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Baseline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The exit code of a run, and the verdicts re-judged against a baseline given on the command line. */
final class Judge {
    private Judge() {
    }

    /** 3 if a target could not be launched or reached, else 1 if any statement regressed, else 0. */
    static int exitCode(RunReport r) {
        if (RunStats.environmentFailed(r)) {
            return MqttHarness.ENVIRONMENT;
        }
        return RunStats.regressionCount(r) > 0 ? MqttHarness.FAILED : MqttHarness.OK;
    }

    /**
     * The report with each statement's baseline and regression taken from {@code baseline}: a file
     * (for every target) or a directory of NAME.yaml. Unchanged when {@code baseline} is null.
     */
    static RunReport withBaseline(RunReport r, Path baseline, boolean strict) {
        if (baseline == null) {
            return r;
        }
        List<TargetReport> out = new ArrayList<>();
        for (TargetReport t : r.targets()) {
            Path file = Files.isDirectory(baseline) ? baseline.resolve(t.name().replace(':', '_') + ".yaml") : baseline;
            Baseline b;
            try {
                b = Baseline.load(t.name(), file);
            } catch (IOException | RuntimeException e) {
                throw new UsageException("--baseline: cannot read " + file + ": " + Brokers.oneLine(e.getMessage()));
            }
            List<StatementResult> ss = new ArrayList<>();
            for (StatementResult s : t.statements()) {
                StatementKey key;
                try {
                    key = new StatementKey(MqttVersion.parse(s.version()), s.id());
                } catch (IllegalArgumentException e) {
                    ss.add(s);
                    continue;
                }
                Verdict expected = b.lists(key) ? b.expected(key) : null;
                ss.add(new StatementResult(s.version(), s.id(), s.section(), s.sectionTitle(), s.level(), s.testability(),
                        s.summary(), s.specUrl(), s.verdict(), expected, regression(s.verdict(), expected, strict),
                        s.note(), s.observations()));
            }
            out.add(new TargetReport(t.name(), t.kind(), t.endpoint(), t.versions(), t.lacks(), t.status(), t.errors(),
                    t.readyMillis(), ss, t.logTail()));
        }
        return r.withTargets(out);
    }

    /** The suite's rule (RunAssembler): worse than expected, where NOT_TESTED, UNSUPPORTED and INFO never regress. */
    static boolean regression(Verdict v, Verdict expected, boolean strict) {
        if (v == null || v == Verdict.NOT_TESTED || v == Verdict.UNSUPPORTED || v == Verdict.INFO) {
            return false;
        }
        if (!strict && v == Verdict.NON_STRICT) {
            return false;
        }
        return v.worseThan(expected == null ? Verdict.PASS : expected);
    }
}
