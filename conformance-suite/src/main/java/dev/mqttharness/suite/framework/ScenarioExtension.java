package dev.mqttharness.suite.framework;

import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.check.CheckResult;
import dev.mqttharness.spec.check.TraceChecks;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Runs one scenario invocation: provides its {@link ScenarioContext}, turns what it threw into
 * verdicts, runs the trace checks over its evidence, records everything, and fails the test when
 * a verdict is worse than the target's baseline (naming the statement).
 */
final class ScenarioExtension implements ParameterResolver, TestExecutionExceptionHandler, AfterEachCallback {
    private final SuiteRun run;
    private final String targetName;
    private final MqttVersion version;
    private final String scenarioId;
    private final Set<String> declared;
    private ScenarioContext ctx;
    private TargetHandle target;
    private String harnessError;
    private boolean aborted;

    ScenarioExtension(SuiteRun run, String targetName, MqttVersion version, String scenarioId, Set<String> declared) {
        this.run = run;
        this.targetName = targetName;
        this.version = version;
        this.scenarioId = scenarioId;
        this.declared = declared;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == ScenarioContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (ctx == null) {
            try {
                target = run.target(targetName);
            } catch (TargetUnavailable u) {
                run.store().record(targetName, version, unjudged(u.getMessage()), null, null, scenarioId);
                if (u.environment()) {
                    throw new TestAbortedException(u.getMessage());
                }
                throw new AssertionFailedError("target unavailable: " + u.getMessage());
            }
            if (!target.versions().contains(version.catalogVersion()) && !target.versions().contains(version)) {
                throw new TestAbortedException(targetName + " is not tested in MQTT " + version.label());
            }
            ctx = new ScenarioContext(target, version, scenarioId, declared, run.settings());
        }
        return ctx;
    }

    private List<Judgement> unjudged(String why) {
        List<Judgement> out = new ArrayList<>();
        for (String id : declared) {
            out.add(new Judgement(new StatementKey(version, id), scenarioId, "scenario", Verdict.ERROR, "", why));
        }
        return out;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext e, Throwable t) throws Throwable {
        if (ctx == null) {
            throw t;
        }
        if (t instanceof ScenarioFailed) {
            return; // the FAIL is recorded; the rest of the scenario depended on it
        }
        if (t instanceof Unsupported) {
            ctx.judgeRemaining(Verdict.UNSUPPORTED, t.getMessage());
            aborted = true;
            throw new TestAbortedException("unsupported: " + t.getMessage());
        }
        String why;
        if (t instanceof SetupFailed) {
            why = "could not set up: " + t.getMessage();
        } else if (t instanceof ProbeClient.ExpectationTimeout) {
            why = "a step the scenario relies on did not complete: " + t.getMessage();
        } else if (t instanceof IOException) {
            why = "I/O error: " + SuiteRun.oneLine(t);
        } else if (t instanceof TestAbortedException) {
            ctx.judgeRemaining(Verdict.NOT_TESTED, t.getMessage());
            aborted = true;
            throw t;
        } else {
            why = "harness error: " + t;
        }
        if (target != null && !target.probeAlive()) {
            why = "broker crashed during this scenario (" + target.crashDescription() + "); " + why;
        }
        ctx.judgeRemaining(Verdict.ERROR, why);
        harnessError = why;
    }

    @Override
    public void afterEach(ExtensionContext e) throws Exception {
        if (ctx == null) {
            return;
        }
        if (harnessError == null && !aborted && e.getExecutionException().isEmpty()) {
            ctx.judgeRemaining(Verdict.ERROR, "harness: the scenario ended without judging this statement");
        }
        ctx.close();
        List<Judgement> all = new ArrayList<>(ctx.judgements());
        for (CheckResult r : TraceChecks.judge(ctx.trace(), version)) {
            all.add(new Judgement(new StatementKey(version, r.statement()), scenarioId, r.check(), r.verdict(),
                    r.expected(), r.observed()));
        }
        if (target != null && !target.alive()) {
            String crash = target.crashDescription();
            all.add(new Judgement(new StatementKey(version, declared.isEmpty() ? "§4.8" : declared.iterator().next()),
                    scenarioId, "broker alive", Verdict.ERROR, "the broker keeps running", "crashed: " + crash));
            run.store().targetError(target.name(), "crashed during " + scenarioId + " (MQTT " + version.label() + "): " + crash);
            try {
                target.restart();
            } catch (Exception ex) {
                run.store().targetError(target.name(), "restart failed: " + SuiteRun.oneLine(ex));
            }
        }
        run.store().record(targetName, version, all, ctx.traceId(), ctx.trace(), scenarioId);
        List<String> regressions = regressions(all);
        if (!regressions.isEmpty()) {
            throw new AssertionFailedError(String.join("\n", regressions));
        }
        if (harnessError != null) {
            throw new AssertionFailedError(scenarioId + " [" + targetName + ", MQTT " + version.label() + "]: " + harnessError);
        }
    }

    /** Statements whose verdict here is worse than the target's baseline, one line each. */
    private List<String> regressions(List<Judgement> all) {
        if (run.settings().updateBaselines()) {
            return List.of();
        }
        Baseline baseline;
        try {
            baseline = Baseline.load(targetName, target == null ? null : target.baseline());
        } catch (IOException | RuntimeException ex) {
            return List.of("cannot read the baseline of " + targetName + ": " + ex.getMessage());
        }
        Map<StatementKey, Judgement> worst = new LinkedHashMap<>();
        for (Judgement j : all) {
            Judgement w = worst.get(j.key());
            if (w == null || j.verdict().severity() > w.verdict().severity()) {
                worst.put(j.key(), j);
            }
        }
        List<String> out = new ArrayList<>();
        for (Judgement j : worst.values()) {
            Verdict v = j.verdict();
            if (!run.settings().strict() && v == Verdict.NON_STRICT) {
                continue; // SHOULD-level deviations only fail a --strict run
            }
            if (v == Verdict.UNSUPPORTED || v == Verdict.NOT_TESTED || v == Verdict.INFO) {
                continue;
            }
            Verdict expected = baseline.expected(j.key());
            if (v.worseThan(expected)) {
                out.add(j.key() + " " + v + " (baseline: " + expected + ") in " + targetName + ": " + j.check()
                        + " — expected " + j.expected() + "; observed " + j.observed());
            }
        }
        return out;
    }
}
