package dev.mqttharness.suite.selfcheck;

import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.SelfCheck;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.Level;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.verdict.Verdict;
import dev.mqttharness.suite.framework.Coverage;
import dev.mqttharness.suite.framework.FaultTargets;
import dev.mqttharness.suite.framework.Judgement;
import dev.mqttharness.suite.framework.RunAssembler;
import dev.mqttharness.suite.framework.Scenario;
import dev.mqttharness.suite.framework.SuiteParallelism;
import dev.mqttharness.suite.framework.SuiteRun;
import dev.mqttharness.suite.framework.SuiteSettings;
import dev.mqttharness.targets.BrokersFile;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The suite's self-check (mutation testing): for each {@link Fault}, the embedded reference broker
 * with that fault alone is a target ({@code reference~FAULT-ID}) that runs the scenarios claiming the
 * fault's statements; the fault is caught ("killed") when one of those statements gets FAIL (or
 * NON_STRICT for a SHOULD). Every other statement those scenarios judged is compared with a
 * fault-free run of the same scenarios: a verdict that changed is collateral.
 *
 * <p>Two JUnit Platform launches: first the fault-free targets (the control), then every fault
 * target at once, each narrowed by a selection file to its scenarios. A statement that no scenario
 * claims, only the trace checks (e.g. "CONNACK is the first packet"), is exercised by the scenarios
 * whose traces judged it in the control run.
 */
public final class SelfCheckRun {
    /** The brokers.yaml entries the faults are switched on in. */
    public static final String BASE = "reference";
    /**
     * For faults that need announced limits ({@link Fault.Needs#LIMITS}). Faults that need a denied topic
     * ({@link Fault.Needs#DENIED_TOPIC}) run in {@link #BASE}, whose brokers.yaml entry denies one.
     */
    public static final String LIMITED_BASE = "reference-limited";
    static final String SCENARIO_PACKAGE = "dev.mqttharness.suite.scenarios";
    private static final String TRACE_CHECKS = "TraceChecks.";

    /**
     * How to run.
     *
     * @param faults      the faults to check
     * @param versions    versions to check them in (a fault runs in those of its versions that are here)
     * @param workDir     where the report and the intermediate files go
     * @param timeout     bound of each wait for the broker
     * @param parallelism scenarios run at once
     * @param brokersFile the brokers.yaml holding {@link #BASE} and {@link #LIMITED_BASE}
     * @param command     the command line, for the report
     * @param log         progress lines
     */
    public record Options(List<Fault> faults, Set<MqttVersion> versions, Path workDir, Duration timeout, int parallelism,
                          Path brokersFile, String command, Consumer<String> log) {
    }

    /** What a run found: the score and the report to write. */
    public record Result(SelfCheck selfCheck, RunReport report, List<String> errors) {
    }

    /** One fault in one version. */
    private record Mutant(Fault fault, MqttVersion version, String base) {
        String target() {
            return FaultTargets.name(base, fault);
        }
    }

    private final Options o;
    private final Coverage coverage = Coverage.compute();
    private final List<String> errors = new ArrayList<>();

    private SelfCheckRun(Options o) {
        this.o = o;
    }

    public static Result run(Options o) throws IOException {
        return new SelfCheckRun(o).execute();
    }

    /** The faults of a named subset: "all", or a list file in this package ("ci"). */
    public static List<Fault> subset(String name) throws IOException {
        if (name.equals("all")) {
            return List.of(Fault.values());
        }
        String resource = name + "-subset.txt";
        try (var in = SelfCheckRun.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no subset '" + name + "' (known: all, ci)");
            }
            List<Fault> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String l = line.replaceAll("#.*", "").trim();
                if (!l.isEmpty()) {
                    out.add(Fault.byId(l.split("\\s+")[0]));
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- the run

    private Result execute() throws IOException {
        long t0 = System.currentTimeMillis();
        BrokersFile brokers = BrokersFile.load(o.brokersFile());
        List<Mutant> mutants = new ArrayList<>();
        for (Fault f : o.faults()) {
            String base = f.needs() == Fault.Needs.LIMITS ? LIMITED_BASE : BASE;
            Set<MqttVersion> baseVersions = EnumSet.noneOf(MqttVersion.class);
            for (MqttVersion v : brokers.target(base).versions()) {
                baseVersions.add(v.catalogVersion());
            }
            for (MqttVersion v : f.versions()) {
                if (o.versions().contains(v) && baseVersions.contains(v)) {
                    mutants.add(new Mutant(f, v, base));
                }
            }
        }

        // 1. the control: the fault-free bases, running every scenario any mutant will run
        Map<String, Set<String>> controlSelection = new TreeMap<>();
        for (Mutant m : mutants) {
            Set<String> sel = controlSelection.computeIfAbsent(m.base(), k -> new TreeSet<>());
            Set<String> claimed = claimedByScenarios(m);
            if (claimed.isEmpty()) {
                sel.addAll(allScenarios(m.version())); // judged by the trace checks alone: see which traces do
            }
            for (String s : claimed) {
                sel.add(key(m.version(), s));
            }
        }
        o.log().accept("self-check: " + mutants.size() + " mutants of " + o.faults().size() + " faults; fault-free run of "
                + controlSelection.values().stream().mapToInt(Set::size).sum() + " scenario runs on " + controlSelection.keySet());
        Launch control = launch("control", controlSelection);

        // 2. every fault target at once, each with the scenarios of its statements
        Map<Mutant, Set<String>> scenariosOf = new LinkedHashMap<>();
        Map<String, Set<String>> mutantSelection = new TreeMap<>();
        for (Mutant m : mutants) {
            Set<String> sel = new TreeSet<>(claimedByScenarios(m));
            if (sel.isEmpty()) {
                for (String id : m.fault().statements(m.version())) {
                    sel.addAll(control.judgedBy(m.base(), m.version(), id));
                }
            }
            scenariosOf.put(m, sel);
            Set<String> t = mutantSelection.computeIfAbsent(m.target(), k -> new TreeSet<>());
            for (String s : sel) {
                t.add(key(m.version(), s));
            }
        }
        mutantSelection.values().removeIf(Set::isEmpty);
        o.log().accept("self-check: " + mutantSelection.size() + " fault targets, "
                + mutantSelection.values().stream().mapToInt(Set::size).sum() + " scenario runs");
        Launch faulty = launch("mutants", mutantSelection);

        // 3. judge each mutant
        List<SelfCheck.Mutant> results = new ArrayList<>();
        for (Mutant m : mutants) {
            results.add(judge(m, scenariosOf.get(m), control, faulty));
        }
        long wall = System.currentTimeMillis() - t0;
        SelfCheck sc = score(results, wall);
        RunReport base = control.report;
        RunReport report = new RunReport(RunReport.SCHEMA, base.runId(), base.tool(), o.command(), t0,
                System.currentTimeMillis(), false, false, base.targets(), base.traces(), List.of(), sc, errors);
        o.log().accept(String.format(java.util.Locale.ROOT, "self-check: %d of %d mutants killed (%.1f%%) in %.1f s",
                sc.killed(), sc.total(), sc.total() == 0 ? 100.0 : 100.0 * sc.killed() / sc.total(), wall / 1000.0));
        return new Result(sc, report, errors);
    }

    private static String key(MqttVersion v, String scenario) {
        return v.catalogVersion().label() + "|" + scenario;
    }

    /**
     * Scenarios ({@code Class.method}) whose {@code @Verifies} names one of the mutant's statements. The
     * trace checks are not scenarios: a fault none of whose statements a scenario claims runs the
     * scenarios whose traces judged them in the fault-free run instead.
     */
    private Set<String> claimedByScenarios(Mutant m) {
        Set<String> out = new TreeSet<>();
        for (String id : m.fault().statements(m.version())) {
            for (String c : coverage.claimedBy(m.version(), id)) {
                if (!c.startsWith(TRACE_CHECKS)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static List<String> allScenarios(MqttVersion v) {
        List<String> out = new ArrayList<>();
        for (Class<?> k : Coverage.scenarioClasses()) {
            for (Method m : k.getDeclaredMethods()) {
                Scenario s = m.getAnnotation(Scenario.class);
                if (s == null) {
                    continue;
                }
                for (MqttVersion sv : s.versions()) {
                    if (sv.catalogVersion() == v.catalogVersion()) {
                        out.add(key(v, k.getSimpleName() + "." + m.getName()));
                        break;
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- launches

    /** What one launch gathered: per target, the judgements of each (version, scenario, statement). */
    private static final class Launch {
        final Map<String, List<Judgement>> judgements = new LinkedHashMap<>();
        RunReport report;

        /** Scenarios whose judgements (a trace check's included) covered statement {@code id} on {@code target}. */
        Set<String> judgedBy(String target, MqttVersion v, String id) {
            Set<String> out = new TreeSet<>();
            for (Judgement j : judgements.getOrDefault(target, List.of())) {
                if (j.key().version() == v.catalogVersion() && j.key().id().equals(id)) {
                    out.add(j.scenario());
                }
            }
            return out;
        }

        /** The combined verdict per (statement, scenario) of one target and version. */
        Map<String, Verdict> verdicts(String target, MqttVersion v) {
            Map<String, Verdict> out = new TreeMap<>();
            for (Judgement j : judgements.getOrDefault(target, List.of())) {
                if (j.key().version() == v.catalogVersion()) {
                    out.merge(j.key().id() + " in " + j.scenario(), j.verdict(), Verdict::combine);
                }
            }
            return out;
        }
    }

    private Launch launch(String phase, Map<String, Set<String>> selection) throws IOException {
        Launch out = new Launch();
        if (selection.isEmpty()) {
            out.report = new RunReport(RunReport.SCHEMA, "", "mqtt-harness 0.1.0", o.command(), 0, 0, false, false,
                    List.of(), Map.of(), List.of(), null);
            return out;
        }
        Path dir = o.workDir().resolve(phase);
        Path selectionFile = dir.resolve("selection.tsv");
        SuiteSettings.writeSelection(selectionFile, selection);
        Set<String> classes = new TreeSet<>();
        for (Set<String> s : selection.values()) {
            for (String e : s) {
                String scenario = e.substring(e.indexOf('|') + 1);
                classes.add(scenario.substring(0, scenario.indexOf('.')));
            }
        }
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String c : classes) {
            selectors.add(DiscoverySelectors.selectClass(SCENARIO_PACKAGE + "." + c));
        }
        Set<String> versions = new TreeSet<>();
        for (MqttVersion v : o.versions()) {
            versions.add(v.label());
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("mqtt.targets", String.join(",", selection.keySet()));
        cfg.put("mqtt.brokers", o.brokersFile().toAbsolutePath().toString());
        cfg.put("mqtt.versions", String.join(",", versions));
        cfg.put("mqtt.selection.file", selectionFile.toAbsolutePath().toString());
        cfg.put("mqtt.report.dir", dir.toAbsolutePath().toString());
        cfg.put("mqtt.timeout.ms", Long.toString(o.timeout().toMillis()));
        cfg.putAll(SuiteParallelism.PARAMETERS);
        cfg.put("junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(o.parallelism()));
        cfg.put("junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(o.parallelism() * 4));
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(ClassNameFilter.includeClassNamePatterns(".*Scenarios"))
                .configurationParameters(cfg)
                .build();
        long t0 = System.currentTimeMillis();
        SuiteRun.reset();
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request);
            SuiteRun run = SuiteRun.current();
            if (run != null) {
                for (String target : selection.keySet()) {
                    out.judgements.put(target, run.store().judgements(target));
                }
                out.report = RunAssembler.assemble(run.store(), o.command(), false);
                for (var t : out.report.targets()) {
                    for (String e : t.errors()) {
                        errors.add(t.name() + ": " + e);
                    }
                }
            }
        } finally {
            SuiteRun.reset();
        }
        if (out.report == null) {
            out.report = new RunReport(RunReport.SCHEMA, "", "mqtt-harness 0.1.0", o.command(), 0, 0, false, false,
                    List.of(), Map.of(), List.of(), null);
        }
        o.log().accept("self-check: " + phase + " run took " + (System.currentTimeMillis() - t0) + " ms");
        return out;
    }

    // ---------------------------------------------------------------- judging

    private SelfCheck.Mutant judge(Mutant m, Set<String> scenarios, Launch control, Launch faulty) {
        MqttVersion v = m.version();
        List<String> named = m.fault().statements(v);
        List<Judgement> js = new ArrayList<>();
        for (Judgement j : faulty.judgements.getOrDefault(m.target(), List.of())) {
            if (j.key().version() == v.catalogVersion()) {
                js.add(j);
            }
        }
        List<String> caughtBy = new ArrayList<>();
        Map<String, Verdict> namedVerdicts = new TreeMap<>();
        for (Judgement j : js) {
            if (!named.contains(j.key().id())) {
                continue;
            }
            namedVerdicts.merge(j.key().id() + " in " + j.scenario(), j.verdict(), Verdict::combine);
            if (catches(v, j)) {
                String line = j.key().id() + " " + j.verdict() + " in " + j.scenario() + ": " + shorten(j.observed(), 160);
                if (caughtBy.size() < 6 && !caughtBy.contains(line)) {
                    caughtBy.add(line);
                }
            }
        }
        boolean killed = !caughtBy.isEmpty();
        String reason = killed ? null : survivorReason(m, scenarios, js, namedVerdicts);

        // collateral: other statements whose verdict in a scenario differs from the fault-free run of it
        Map<String, Verdict> mine = faulty.verdicts(m.target(), v);
        Map<String, Verdict> theirs = control.verdicts(m.base(), v);
        List<String> collateral = new ArrayList<>();
        for (Map.Entry<String, Verdict> e : mine.entrySet()) {
            String statement = e.getKey().substring(0, e.getKey().indexOf(" in "));
            if (named.contains(statement)) {
                continue;
            }
            Verdict before = theirs.get(e.getKey());
            if (before == null && (e.getValue() == Verdict.PASS || e.getValue() == Verdict.INFO)) {
                continue; // judged only with the fault (the scenario took another path) and held: nothing looks broken
            }
            if (before != e.getValue()) {
                collateral.add(collateralKind(before, e.getValue()) + ": " + statement + " "
                        + (before == null ? "not judged" : before.name()) + " -> " + e.getValue()
                        + e.getKey().substring(statement.length()));
            }
        }
        return new SelfCheck.Mutant(m.fault().id(), v.label(), named, m.fault().mistake(), killed, caughtBy, collateral,
                reason, new ArrayList<>(scenarios));
    }

    /**
     * How a verdict changed: "also broken" when another statement now fails (the mistake breaks that
     * rule too, or a check blames the wrong rule: worth a look); "cut short" when the scenario could
     * not judge it any more (ERROR, NOT_TESTED); "changed" otherwise.
     */
    static String collateralKind(Verdict before, Verdict after) {
        if (after == Verdict.FAIL || after == Verdict.NON_STRICT) {
            return "also broken";
        }
        if (after == Verdict.ERROR || after == Verdict.NOT_TESTED || after == Verdict.UNSUPPORTED) {
            return "cut short";
        }
        return "changed";
    }

    /** FAIL of a named statement; NON_STRICT counts for a statement whose level is SHOULD. */
    private static boolean catches(MqttVersion v, Judgement j) {
        if (j.verdict() == Verdict.FAIL) {
            return true;
        }
        if (j.verdict() == Verdict.NON_STRICT) {
            return Catalog.get().find(v.catalogVersion(), j.key().id()).map(s -> s.level() != Level.MUST).orElse(false);
        }
        return false;
    }

    private static String survivorReason(Mutant m, Set<String> scenarios, List<Judgement> js,
                                         Map<String, Verdict> namedVerdicts) {
        List<String> named = m.fault().statements(m.version());
        if (scenarios.isEmpty()) {
            return "no scenario claims " + named + " (only the trace checks do), and no trace of the fault-free run "
                    + "judged them";
        }
        if (namedVerdicts.isEmpty()) {
            return "the scenarios run (" + String.join(", ", scenarios) + ") judged none of " + named
                    + " against this broker";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Verdict> e : namedVerdicts.entrySet()) {
            String why = "";
            for (Judgement j : js) {
                if ((j.key().id() + " in " + j.scenario()).equals(e.getKey()) && j.verdict() == e.getValue()) {
                    why = ": " + shorten(j.observed(), 200);
                    break;
                }
            }
            parts.add(e.getKey() + " " + e.getValue() + why);
        }
        return "not caught: " + String.join("; ", parts);
    }

    private static String shorten(String s, int n) {
        if (s == null) {
            return "";
        }
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }

    private static SelfCheck score(List<SelfCheck.Mutant> mutants, long wall) {
        Map<String, int[]> byVersion = new TreeMap<>();
        Map<String, int[]> bySection = new TreeMap<>(StatementIds::compare);
        int killed = 0;
        for (SelfCheck.Mutant m : mutants) {
            int k = m.killed() ? 1 : 0;
            killed += k;
            int[] a = byVersion.computeIfAbsent(m.version(), x -> new int[2]);
            a[0] += k;
            a[1]++;
            String sec = chapterSection(m.statements().isEmpty() ? "" : m.statements().get(0));
            int[] b = bySection.computeIfAbsent(m.version() + " §" + sec, x -> new int[2]);
            b[0] += k;
            b[1]++;
        }
        List<SelfCheck.Score> v = new ArrayList<>();
        byVersion.forEach((g, a) -> v.add(new SelfCheck.Score(g, a[0], a[1])));
        List<SelfCheck.Score> s = new ArrayList<>();
        bySection.forEach((g, a) -> s.add(new SelfCheck.Score(g, a[0], a[1])));
        List<SelfCheck.Mutant> sorted = new ArrayList<>(mutants);
        sorted.sort(Comparator.comparing(SelfCheck.Mutant::version).thenComparing(SelfCheck.Mutant::fault));
        return new SelfCheck(killed, mutants.size(), v, s, sorted, wall);
    }

    /** The x.y section a statement belongs to ("3.3" for MQTT-3.3.1-5, "4.7" for MQTT-4.7.2-1). */
    static String chapterSection(String id) {
        String sec = StatementIds.isNumbered(id) || StatementIds.isSectionRef(id) ? StatementIds.sectionOf(id) : id;
        String[] p = sec.split("\\.");
        return p.length >= 2 ? p[0] + "." + p[1] : sec;
    }
}
