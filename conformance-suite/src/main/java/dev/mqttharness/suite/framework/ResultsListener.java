package dev.mqttharness.suite.framework;

import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the run's report as the run goes (after each scenario class and at the end), so an
 * interrupted run leaves a valid partial report; rewrites baselines when asked. Registered for
 * every JUnit Platform launch through {@code META-INF/services}.
 */
public final class ResultsListener implements TestExecutionListener {
    /** Renderers the CLI adds (HTML, JUnit XML); the JSON is always written. */
    private static final List<Consumer<ReportWritten>> RENDERERS = new CopyOnWriteArrayList<>();
    private long lastWrite;

    /** A report file was (re)written. */
    public record ReportWritten(RunReport report, Path dir, boolean finished) {
    }

    public static void addRenderer(Consumer<ReportWritten> r) {
        RENDERERS.add(r);
    }

    public static void clearRenderers() {
        RENDERERS.clear();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isContainer() && id.getDisplayName().startsWith("[")) {
            long now = System.currentTimeMillis();
            if (now - lastWrite > 2000) {
                lastWrite = now;
                write(true);
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        RunReport r = write(false);
        SuiteRun current = SuiteRun.current();
        if (r != null && current != null) {
            System.out.println("mqtt-harness: report written to " + current.settings().reportDir().resolve("report.json"));
        }
        SuiteRun run = SuiteRun.current();
        if (run != null && run.settings().updateBaselines()) {
            updateBaselines(run);
        }
    }

    /** Writes report.json (and whatever renderers are registered); returns the report, or null if no run happened. */
    public static synchronized RunReport write(boolean partial) {
        SuiteRun run = SuiteRun.current();
        if (run == null) {
            return null;
        }
        RunReport report = RunAssembler.assemble(run.store(), System.getProperty("mqtt.command", "mvn verify"), partial);
        Path dir = run.settings().reportDir();
        try {
            JsonReport.write(report, dir.resolve("report.json"));
        } catch (IOException e) {
            System.err.println("mqtt-harness: cannot write " + dir.resolve("report.json") + ": " + e.getMessage());
        }
        for (Consumer<ReportWritten> r : RENDERERS) {
            try {
                r.accept(new ReportWritten(report, dir, !partial));
            } catch (RuntimeException e) {
                System.err.println("mqtt-harness: report renderer failed: " + e.getMessage());
            }
        }
        return report;
    }

    /** Rewrites each target's baseline from this run's verdicts. */
    static void updateBaselines(SuiteRun run) {
        RunReport report = RunAssembler.assemble(run.store(), "", false);
        for (TargetReport t : report.targets()) {
            Map<StatementKey, Verdict> verdicts = new LinkedHashMap<>();
            Map<StatementKey, String> why = new LinkedHashMap<>();
            for (StatementResult s : t.statements()) {
                StatementKey key = new StatementKey(MqttVersion.parse(s.version()), s.id());
                verdicts.put(key, s.verdict());
                s.observations().stream().filter(o -> o.verdict() == s.verdict()).findFirst()
                        .ifPresent(o -> why.put(key, o.check() + " — " + o.observed()));
            }
            Path file = run.settings().baselineDir().resolve(t.name().replace(':', '_') + ".yaml");
            for (VerdictStore.TargetEntry e : run.store().targets()) {
                if (e.name.equals(t.name()) && e.facts != null && e.facts.baseline() != null) {
                    file = e.facts.baseline();
                }
            }
            try {
                Baseline.write(file, t.name(), verdicts, why);
                System.out.println("mqtt-harness: wrote baseline " + file);
            } catch (IOException e) {
                System.err.println("mqtt-harness: cannot write baseline " + file + ": " + e.getMessage());
            }
        }
    }
}
