package dev.mqttharness.suite.framework;

import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.SectionIndex;
import dev.mqttharness.spec.catalog.SpecLinks;
import dev.mqttharness.spec.catalog.Statement;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns what a run gathered into a {@link RunReport}: for each target and tested version, every
 * statement of the catalog with the combined verdict of its observations (NOT_TESTED if none),
 * its baseline and whether it regressed; plus rules without a number that checks named by section.
 */
public final class RunAssembler {
    private RunAssembler() {
    }

    public static RunReport assemble(VerdictStore store, String command, boolean partial) {
        List<TargetReport> targets = new ArrayList<>();
        for (VerdictStore.TargetEntry e : store.targets()) {
            targets.add(target(store, e));
        }
        return new RunReport(RunReport.SCHEMA, Long.toString(store.startedAt(), 36), "mqtt-harness 0.1.0", command,
                store.startedAt(), partial ? 0 : System.currentTimeMillis(), store.settings().strict(), partial,
                targets, store.traces(), List.of(), null);
    }

    /** The combined verdict per statement of one target's judgements. */
    public static Map<StatementKey, Verdict> verdicts(List<Judgement> judgements) {
        Map<StatementKey, Verdict> out = new TreeMap<>();
        for (Judgement j : judgements) {
            out.merge(j.key(), j.verdict(), Verdict::combine);
        }
        return out;
    }

    private static TargetReport target(VerdictStore store, VerdictStore.TargetEntry e) {
        VerdictStore.TargetFacts h = e.facts;
        Baseline baseline;
        try {
            baseline = Baseline.load(e.name, h == null ? null : h.baseline());
        } catch (IOException | RuntimeException ex) {
            baseline = Baseline.empty(e.name);
        }
        Map<StatementKey, List<Judgement>> byKey = new LinkedHashMap<>();
        List<Judgement> judgements;
        synchronized (store) {
            judgements = new ArrayList<>(e.judgements);
        }
        for (Judgement j : judgements) {
            byKey.computeIfAbsent(j.key(), k -> new ArrayList<>()).add(j);
        }
        List<StatementResult> results = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            boolean tested = e.versionsRun.contains(v) || (h != null && h.versions().contains(v)
                    && store.settings().versions().contains(v) && e.versionsRun.isEmpty());
            if (!tested) {
                continue;
            }
            versions.add(v.label());
            for (Statement s : Catalog.get().statements(v)) {
                results.add(result(v, s.id(), s, byKey.remove(s.key()), baseline, store, e));
            }
        }
        // rules named by section, and anything not in the catalog, after the numbered ones
        for (Map.Entry<StatementKey, List<Judgement>> rest : byKey.entrySet()) {
            StatementKey k = rest.getKey();
            if (!versions.contains(k.version().label())) {
                versions.add(k.version().label());
            }
            results.add(result(k.version(), k.id(), null, rest.getValue(), baseline, store, e));
        }
        String status = e.errors.isEmpty() ? "OK" : (h == null ? "ERROR" : "OK_WITH_ERRORS");
        List<String> logs = e.logTail;
        if (logs.isEmpty() && e.handle != null) {
            try {
                logs = e.handle.logTail(40); // still running: a partial report
            } catch (RuntimeException ex) {
                logs = List.of();
            }
        }
        return new TargetReport(e.name, h == null ? "unknown" : h.kind(), h == null ? "" : h.endpoint(),
                versions, h == null ? List.of() : new ArrayList<>(h.lacks()), status, e.errors,
                h == null ? -1 : h.readyMillis(), results, logs);
    }

    private static StatementResult result(MqttVersion v, String id, Statement s, List<Judgement> js, Baseline baseline,
                                          VerdictStore store, VerdictStore.TargetEntry e) {
        Verdict verdict = null;
        List<Observation> obs = new ArrayList<>();
        if (js != null) {
            for (Judgement j : js) {
                verdict = Verdict.combine(verdict, j.verdict());
                String traceId;
                synchronized (store) {
                    traceId = e.traceOf.get(j);
                }
                obs.add(new Observation(j.scenario(), j.check(), j.verdict(), j.expected(), j.observed(), traceId,
                        reproduce(e.name, v, j.scenario())));
            }
        }
        if (verdict == null) {
            verdict = Verdict.NOT_TESTED;
        }
        StatementKey key = new StatementKey(v, id);
        Verdict expected = baseline.lists(key) ? baseline.expected(key) : null;
        boolean regression = verdict != Verdict.NOT_TESTED && verdict != Verdict.UNSUPPORTED && verdict != Verdict.INFO
                && (store.settings().strict() || verdict != Verdict.NON_STRICT)
                && verdict.worseThan(expected == null ? Verdict.PASS : expected);
        String section = s != null ? s.section() : (StatementIds.isSectionRef(id) || StatementIds.isNumbered(id)
                ? StatementIds.sectionOf(id) : "");
        String title = s != null ? s.sectionTitle() : SectionIndex.get(v).title(section);
        String summary = s != null ? s.summary() : (StatementIds.isSectionRef(id) ? "rule of section " + section
                + " without a statement number" : "");
        return new StatementResult(v.label(), id, section, title, s != null ? s.level().name() : "SHOULD",
                s != null ? s.testability().code() : "W", summary, SpecLinks.sectionUrl(v, section), verdict, expected,
                regression, s != null && !s.testability().wireTestable() ? s.note() : null, obs);
    }

    private static String reproduce(String target, MqttVersion v, String scenario) {
        int dot = scenario.indexOf('.');
        String section = dot > 0 ? scenario.substring(0, dot) : scenario;
        return "./mqtt-harness certify --broker " + target + " --mqtt " + v.label() + " --scenario " + scenario
                + "   # or: mvn -pl conformance-suite verify -Dit.test=" + section + " -Dmqtt.targets=" + target;
    }
}
