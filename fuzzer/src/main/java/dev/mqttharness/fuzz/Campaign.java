package dev.mqttharness.fuzz;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.fuzz.engine.ChoiceSource;
import dev.mqttharness.fuzz.engine.Choices;
import dev.mqttharness.fuzz.engine.Shrinker;
import dev.mqttharness.fuzz.engine.Span;
import dev.mqttharness.fuzz.engine.Stats;
import dev.mqttharness.fuzz.exec.CaseOutcome;
import dev.mqttharness.fuzz.exec.CaseRunner;
import dev.mqttharness.fuzz.exec.Liveness;
import dev.mqttharness.fuzz.exec.Namespace;
import dev.mqttharness.fuzz.gen.CaseGenerator;
import dev.mqttharness.fuzz.gen.FuzzCase;
import dev.mqttharness.fuzz.oracle.Finding;
import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A fuzzing campaign, and the API the CLI calls: {@link #run(CampaignOptions)} (or the short
 * {@link #run(String, Duration, long, long, Path)}) and {@link #replay(Path)}.
 *
 * <p>Workers run cases concurrently, each under its own topic prefix and Client Identifiers. Case i
 * draws its choices from a seed derived from the campaign seed and i, so a campaign and every case
 * in it reproduce. A case's findings are deduplicated by (statement, kind); the first occurrence of
 * each is shrunk on its worker (while the others keep fuzzing), confirmed by replaying it, and saved
 * as a JSON file. After every case the worker's liveness probe checks that the broker still works;
 * if it does not, the campaign checks whether the broker died, restarts it when it can, finds which
 * of the cases in flight killed it by replaying them one at a time, and reports that as a finding.
 */
public final class Campaign {
    private static final String HARNESS = "mqtt-harness 0.1.0";

    private final FuzzTarget target;
    private final CampaignOptions o;
    private final CaseGenerator generator;
    private final Stats stats = new Stats();
    private final String salt;
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<Finding.Key, Boolean> claimed = new ConcurrentHashMap<>();
    private final List<FindingRecord> findings = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final Map<String, Long> errors = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock();
    private final long[] lastSeeds;
    private volatile long fuzzEnd;

    private Campaign(FuzzTarget target, CampaignOptions o) {
        this.target = target;
        this.o = o;
        this.generator = new CaseGenerator(o.versions(), o.allowLarge());
        this.salt = salt();
        this.lastSeeds = new long[o.workers()];
        java.util.Arrays.fill(lastSeeds, Long.MIN_VALUE);
    }

    // ================================================================ API

    /** Runs a campaign against the broker {@code o.target()} names; a broker it launches is stopped afterwards. */
    public static CampaignResult run(CampaignOptions o) {
        try (FuzzTarget t = FuzzTarget.resolve(o.target())) {
            return run(t, o);
        }
    }

    /** Runs a campaign against a target the caller owns. */
    public static CampaignResult run(FuzzTarget target, CampaignOptions o) {
        return new Campaign(target, o).execute();
    }

    /**
     * The short form: fuzz {@code target} ("reference", "host:port" or a brokers.yaml name) for
     * {@code duration} or {@code cases} cases (whichever is set; both bound when both are), from
     * {@code seed}, saving findings under {@code findingsDir} (null: not saved).
     */
    public static FuzzCampaign run(String target, Duration duration, long cases, long seed, Path findingsDir) {
        CampaignOptions.Builder b = CampaignOptions.builder(target).seed(seed).findingsDir(findingsDir).cases(cases);
        if (duration != null) {
            b.duration(duration);
        }
        return run(b.build()).toReport();
    }

    /** Replays a saved finding against the broker it names (launched for the replay if need be). */
    public static ReplayResult replay(Path file) throws IOException {
        FindingRecord rec = FindingRecord.read(file);
        try (FuzzTarget t = FuzzTarget.resolve(rec.target())) {
            return replay(rec, t.endpoint(), CaseRunner.Settings.defaults());
        }
    }

    /**
     * Replays a saved finding against the broker {@code broker} names ("reference", "host:port", a
     * brokers.yaml name), or against the one the finding names when {@code broker} is null.
     */
    public static ReplayResult replay(Path file, String broker) throws IOException {
        FindingRecord rec = FindingRecord.read(file);
        try (FuzzTarget t = FuzzTarget.resolve(broker != null ? broker : rec.target())) {
            return replay(rec, t.endpoint(), CaseRunner.Settings.defaults());
        }
    }

    /** Replays a saved finding against {@code endpoint}. */
    public static ReplayResult replay(Path file, Endpoint endpoint) throws IOException {
        return replay(FindingRecord.read(file), endpoint, CaseRunner.Settings.defaults());
    }

    /** Replays a finding's shrunk choices once; reproduced if the same (statement, kind) is found again. */
    public static ReplayResult replay(FindingRecord rec, Endpoint endpoint, CaseRunner.Settings settings) {
        CaseGenerator g = new CaseGenerator(versions(rec.versions()), rec.allowLarge());
        ChoiceSource s = ChoiceSource.replay(Choices.of(rec.choices()));
        FuzzCase fc = g.generate(s);
        CaseOutcome out = new CaseRunner(endpoint, settings, null).run(fc, new Namespace(salt(), 0, 0));
        Finding.Key key = new Finding.Key(new StatementKey(MqttVersion.parse(rec.version()), rec.statementId()), rec.kind());
        return new ReplayResult(rec, out.has(key), out);
    }

    /** Regenerates and runs case {@code seed} (the unshrunk original of a finding, or any campaign case). */
    public static CaseOutcome runSeed(Endpoint endpoint, long seed, List<MqttVersion> versions, boolean allowLarge) {
        FuzzCase fc = new CaseGenerator(versions, allowLarge).generate(ChoiceSource.seeded(seed));
        return new CaseRunner(endpoint, CaseRunner.Settings.defaults(), null).run(fc, new Namespace(salt(), 0, 0));
    }

    /** The seed of case {@code index} of a campaign with seed {@code seed} (SplitMix64). */
    public static long caseSeed(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ================================================================ the run

    private CampaignResult execute() {
        long start = System.nanoTime();
        long deadline = o.duration() == null ? Long.MAX_VALUE : start + o.duration().toNanos();
        log("fuzzing " + target.name() + " at " + target.endpoint() + " with " + o.workers() + " workers, seed " + o.seed()
                + ", versions " + o.versions() + (o.duration() != null ? ", for " + o.duration().toSeconds() + " s" : "")
                + (o.cases() > 0 ? ", at most " + o.cases() + " cases" : ""));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < o.workers(); w++) {
            Worker worker = new Worker(w, deadline);
            Thread t = new Thread(worker::loop, "fuzz-worker-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
            }
        }
        long end = System.nanoTime();
        long fuzzNanos = (fuzzEnd > 0 ? fuzzEnd : end) - start;
        long cases = stats.cases();
        double rate = cases / Math.max(1e-9, fuzzNanos / 1e9);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < findings.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> findings.get(i).statement()).thenComparing(i -> findings.get(i).kind()));
        List<FindingRecord> sorted = new ArrayList<>();
        List<String> sortedFiles = new ArrayList<>();
        for (int i : order) {
            sorted.add(findings.get(i));
            sortedFiles.add(files.get(i));
        }
        log(String.format("%d cases in %.1f s: %.0f cases/s; %d finding(s)", cases, fuzzNanos / 1e9, rate, sorted.size()));
        return new CampaignResult(target.name(), o.seed(), cases, fuzzNanos / 1_000_000, (end - start) / 1_000_000, rate,
                stats.packetsByType(), stats.statementsExercised(), sorted, sortedFiles, new TreeMap<>(errors));
    }

    private final class Worker {
        final int index;
        final long deadline;
        long serial;
        Liveness live;
        Endpoint endpoint;
        CaseRunner runner;

        Worker(int index, long deadline) {
            this.index = index;
            this.deadline = deadline;
        }

        Namespace namespace() {
            return new Namespace(salt, index, serial++);
        }

        void refresh() {
            Endpoint ep = target.endpoint();
            if (!ep.equals(endpoint)) {
                endpoint = ep;
                runner = new CaseRunner(ep, o.runner(), stats);
                if (live != null) {
                    live.close();
                }
                live = o.liveness() ? new Liveness(ep, "FL" + salt + "W" + index, "fz/" + salt + "/live/" + index,
                        o.runner().responseTimeout()) : null;
            }
        }

        void loop() {
            try {
                while (!stop.get()) {
                    long i = next.getAndIncrement();
                    if ((o.cases() > 0 && i >= o.cases()) || System.nanoTime() > deadline) {
                        break;
                    }
                    exclusive.readLock().lock();
                    CaseOutcome out;
                    ChoiceSource src;
                    long seed = caseSeed(o.seed(), i);
                    try {
                        refresh();
                        src = ChoiceSource.seeded(seed);
                        FuzzCase fc;
                        try {
                            fc = generator.generate(src);
                        } catch (ChoiceSource.Overrun e) {
                            continue;
                        }
                        lastSeeds[index] = seed;
                        out = runner.run(fc, namespace());
                        stats.caseDone();
                        out.exercised().forEach(stats::statement);
                        for (String e : out.errors()) {
                            errors.merge(errorKind(e), 1L, Long::sum);
                        }
                    } finally {
                        exclusive.readLock().unlock();
                    }
                    for (Finding f : out.findings()) {
                        if (f.verdict() != Verdict.FAIL && f.verdict() != Verdict.NON_STRICT) {
                            continue;
                        }
                        if (claimed.putIfAbsent(f.key(), Boolean.TRUE) == null) {
                            log("finding: " + f.statementLabel() + " " + f.verdict() + " - " + f.kind() + " (case seed " + seed + ")");
                            shrinkAndSave(this, f, src.choices(), src.spans(), seed, out);
                        }
                    }
                    if (live != null && !live.check()) {
                        brokerDown(this, live.lastFailure());
                    }
                }
            } catch (RuntimeException e) {
                errors.merge("worker died: " + e, 1L, Long::sum);
            } finally {
                synchronized (Campaign.this) {
                    if (fuzzEnd == 0 && (System.nanoTime() > deadline || (o.cases() > 0 && next.get() >= o.cases()))) {
                        fuzzEnd = System.nanoTime();
                    }
                }
                if (live != null) {
                    live.close();
                }
            }
        }

        /** One replay of a candidate choice sequence. */
        Shrinker.Attempt attempt(Choices c, Finding.Key key) {
            ChoiceSource s = ChoiceSource.replay(c);
            FuzzCase fc;
            try {
                fc = generator.generate(s);
            } catch (ChoiceSource.Overrun e) {
                return new Shrinker.Attempt(false, c, List.of());
            }
            exclusive.readLock().lock();
            try {
                refresh();
                CaseOutcome out = runner.run(fc, namespace());
                return new Shrinker.Attempt(out.has(key), s.choices(), s.spans());
            } finally {
                exclusive.readLock().unlock();
            }
        }

        CaseOutcome replayChoices(Choices c) {
            ChoiceSource s = ChoiceSource.replay(c);
            FuzzCase fc = generator.generate(s);
            exclusive.readLock().lock();
            try {
                refresh();
                return runner.run(fc, namespace());
            } finally {
                exclusive.readLock().unlock();
            }
        }
    }

    // ================================================================ findings

    private void shrinkAndSave(Worker w, Finding f, Choices choices, List<Span> spans, long seed, CaseOutcome original) {
        Finding.Key key = f.key();
        Shrinker shrinker = new Shrinker(c -> w.attempt(c, key), o.shrinkAttempts(), o.shrinkTime());
        Shrinker.Result r = shrinker.shrink(choices, spans);
        int ok = 0;
        CaseOutcome shown = null;
        for (int i = 0; i < 3; i++) {
            CaseOutcome co = w.replayChoices(r.choices());
            if (co.has(key)) {
                ok++;
                shown = co;
            }
        }
        Choices kept = r.choices();
        String reproduced = ok + "/3";
        if (shown == null) {
            // the shrunk case did not fail again: try the original case before believing it
            int okOriginal = 0;
            for (int i = 0; i < 2; i++) {
                CaseOutcome co = w.replayChoices(choices);
                if (co.has(key)) {
                    okOriginal++;
                    shown = co;
                }
            }
            if (shown == null) {
                // not reproducible: a timing accident (a slow broker, a loaded machine), not a finding
                errors.merge("unconfirmed (did not reproduce on replay): " + f.statementLabel() + " " + f.kind(), 1L, Long::sum);
                log("  not reproduced on replay: discarded");
                claimed.remove(key);
                return;
            }
            kept = choices;
            reproduced = "0/3 shrunk, " + okOriginal + "/2 unshrunk";
        }
        Finding shownFinding = f;
        for (Finding x : shown.findings()) {
            if (x.key().equals(key)) {
                shownFinding = x;
            }
        }
        log("  " + f.kind() + ": shrunk from " + choices.size() + " to " + kept.size() + " choices in " + r.attempts()
                + " attempts; " + shown.steps().size() + " step(s); reproduced " + reproduced);
        save(record(shownFinding, kept, seed, shown, choices.size(), r.attempts(), reproduced));
    }

    private FindingRecord record(Finding f, Choices choices, long seed, CaseOutcome shown, int originalChoices,
                                 int attempts, String reproduced) {
        MqttVersion v = f.statement().version();
        String id = FindingRecord.fileName(v.label(), f.statement().id(), f.kind()).replace(".json", "");
        List<String> versions = new ArrayList<>();
        o.versions().forEach(x -> versions.add(x.label()));
        return new FindingRecord(FindingRecord.SCHEMA, id, target.name(), target.endpoint().toString(), v.label(),
                f.statementLabel(), f.statement().id(), f.kind(), f.verdict().name(), f.expected(), f.observed(),
                f.related(), seed, versions, o.allowLarge(), choices.toArray(), shown.steps(),
                FindingRecord.events(shown.trace()), originalChoices, attempts, reproduced,
                target.name().equals("reference") ? "fixed" : "reproduces", null, Instant.now().toString(), HARNESS);
    }

    private synchronized void save(FindingRecord rec) {
        String file = null;
        if (o.findingsDir() != null) {
            Path p = o.findingsDir().resolve(safe(target.name())).resolve(rec.id() + ".json");
            rec = rec.withReplay("mqtt-harness replay " + p);
            try {
                rec.write(p);
                file = p.toString();
            } catch (IOException e) {
                errors.merge("cannot save finding: " + e.getMessage(), 1L, Long::sum);
            }
        }
        findings.add(rec);
        files.add(file);
        if (o.stopAfterFindings() > 0 && findings.size() >= o.stopAfterFindings()) {
            stop.set(true);
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    // ================================================================ crashes

    /**
     * A liveness check failed. If the broker still works for a fresh client, nothing happened.
     * Otherwise: record the crash, restart the broker if we can, and find the case that kills it by
     * replaying the cases that were in flight, one at a time, each followed by a liveness check.
     */
    private void brokerDown(Worker w, String why) {
        exclusive.writeLock().lock();
        try {
            if (stop.get()) {
                return;
            }
            Liveness fresh = new Liveness(target.endpoint(), "FL" + salt + "X", "fz/" + salt + "/live/x", o.runner().responseTimeout());
            boolean ok = fresh.check();
            fresh.close();
            if (ok) {
                return; // a glitch of one worker's probe, not of the broker
            }
            String crash = target.crash().orElse("the broker stopped working: " + why);
            log("broker down: " + crash);
            long[] suspects = lastSeeds.clone();
            if (!target.restartable()) {
                crashFinding(crash, suspects[w.index], null, why);
                stop.set(true);
                return;
            }
            target.restart();
            for (long seed : suspects) {
                if (seed == Long.MIN_VALUE) {
                    continue;
                }
                w.refresh();
                ChoiceSource s = ChoiceSource.seeded(seed);
                FuzzCase fc = generator.generate(s);
                w.runner.run(fc, w.namespace());
                Liveness l = new Liveness(target.endpoint(), "FL" + salt + "Y", "fz/" + salt + "/live/y", o.runner().responseTimeout());
                boolean alive = l.check();
                l.close();
                if (!alive) {
                    crashFinding(target.crash().orElse(crash), seed, s, why);
                    target.restart();
                    return;
                }
            }
            crashFinding(crash, suspects[w.index], null, why + " (no single case in flight reproduces it)");
        } catch (RuntimeException e) {
            errors.merge("crash handling failed: " + e, 1L, Long::sum);
            stop.set(true);
        } finally {
            exclusive.writeLock().unlock();
        }
    }

    private void crashFinding(String crash, long seed, ChoiceSource culprit, String why) {
        ChoiceSource s = culprit != null ? culprit : ChoiceSource.seeded(seed);
        FuzzCase fc = culprit != null ? null : generator.generate(s);
        MqttVersion v = fc != null ? fc.version() : o.versions().get(0);
        String section = v.isV5() ? "§4.13.1" : "§4.8";
        Finding f = Finding.fail(v, section, "broker crashed or stopped serving clients",
                "only the offending connection is closed; other sessions are unaffected",
                crash + (culprit == null ? "" : "; replaying this case alone kills it again") + " (" + why + ")", List.of());
        if (claimed.putIfAbsent(f.key(), Boolean.TRUE) != null) {
            return;
        }
        Choices c = s.choices();
        List<String> steps = (fc != null ? fc : generator.generate(ChoiceSource.replay(c))).describe();
        FindingRecord rec = new FindingRecord(FindingRecord.SCHEMA,
                FindingRecord.fileName(v.label(), section, f.kind()).replace(".json", ""), target.name(),
                target.endpoint().toString(), v.label(), f.statementLabel(), section, f.kind(), "FAIL", f.expected(),
                f.observed(), List.of(), seed, o.versions().stream().map(MqttVersion::label).toList(), o.allowLarge(),
                c.toArray(), steps, List.of(), c.size(), 0, culprit != null ? "1/1" : "0/1", "reproduces", null,
                Instant.now().toString(), HARNESS);
        save(rec);
    }

    // ================================================================ helpers

    private void log(String line) {
        if (o.log() != null) {
            o.log().accept(line);
        }
    }

    private static String errorKind(String e) {
        String k = e.replaceAll("c\\d(\\.\\d+)?m?", "cN").replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N");
        return k.length() > 100 ? k.substring(0, 100) : k;
    }

    static String salt() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            sb.append(Character.forDigit(r.nextInt(36), 36));
        }
        return sb.toString();
    }

    static List<MqttVersion> versions(List<String> labels) {
        List<MqttVersion> out = new ArrayList<>();
        for (String l : labels) {
            out.add(MqttVersion.parse(l));
        }
        return out;
    }
}
