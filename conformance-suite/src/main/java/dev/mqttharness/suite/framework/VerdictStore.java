package dev.mqttharness.suite.framework;

import dev.mqttharness.reports.model.TraceRecord;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run gathered, thread-safe: per target its judgements, traces, errors and launch
 * facts. {@link RunAssembler} turns it into a report at any moment, so an interrupted run still
 * yields one.
 */
public final class VerdictStore {
    /** Bytes of one event kept in a report, in hex; longer payloads are shortened. */
    static final int MAX_HEX_BYTES = 2048;

    private final SuiteSettings settings;
    private final long startedAt = System.currentTimeMillis();
    private final Map<String, TargetEntry> targets = new LinkedHashMap<>();
    private final Map<String, TraceRecord> traces = new LinkedHashMap<>();
    private final List<String> runErrors = new ArrayList<>();

    /** What is known of one target. */
    static final class TargetEntry {
        final String name;
        TargetHandle handle;
        /** What was known of the target when it started; still valid after it stopped. */
        TargetFacts facts;
        /** The broker's last log lines, taken when it stopped (or live while it runs). */
        List<String> logTail = List.of();
        final List<Judgement> judgements = new ArrayList<>();
        final List<String> traceIds = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final java.util.Set<MqttVersion> versionsRun = java.util.EnumSet.noneOf(MqttVersion.class);
        final Map<Judgement, String> traceOf = new java.util.IdentityHashMap<>();

        TargetEntry(String name) {
            this.name = name;
        }
    }

    VerdictStore(SuiteSettings settings) {
        this.settings = settings;
    }

    public SuiteSettings settings() {
        return settings;
    }

    public long startedAt() {
        return startedAt;
    }

    /** Facts of a target that outlive it: reports are assembled after targets stop. */
    record TargetFacts(String kind, String endpoint, java.util.Set<MqttVersion> versions, java.util.Set<String> lacks,
                       long readyMillis, java.nio.file.Path baseline) {
    }

    synchronized void targetStarted(TargetHandle h) {
        TargetEntry e = entry(h.name());
        e.handle = h;
        e.facts = new TargetFacts(h.kind(), h.endpoint().toString(), h.versions(), h.lacks(), h.readyMillis(), h.baseline());
    }

    /** Keeps the log tail of a target about to stop. */
    synchronized void targetStopping(TargetHandle h) {
        try {
            entry(h.name()).logTail = List.copyOf(h.logTail(40));
        } catch (RuntimeException e) {
            // a target that cannot tell its logs any more has none to keep
        }
    }

    synchronized void targetError(String name, String error) {
        TargetEntry e = entry(name);
        if (!e.errors.contains(error)) {
            e.errors.add(error);
        }
    }

    synchronized void runError(String error) {
        runErrors.add(error);
    }

    /** Records one scenario invocation's judgements and its trace. */
    synchronized void record(String target, MqttVersion version, List<Judgement> judgements, String traceId, Trace trace,
                             String scenario) {
        TargetEntry e = entry(target);
        e.versionsRun.add(version);
        for (Judgement j : judgements) {
            e.judgements.add(j);
            e.traceOf.put(j, traceId);
        }
        if (trace != null && !trace.events().isEmpty()) {
            traces.put(traceId, toRecord(traceId, scenario, target, version, trace));
            e.traceIds.add(traceId);
        }
    }

    private TargetEntry entry(String name) {
        return targets.computeIfAbsent(name, TargetEntry::new);
    }

    synchronized List<TargetEntry> targets() {
        return new ArrayList<>(targets.values());
    }

    synchronized Map<String, TraceRecord> traces() {
        return new LinkedHashMap<>(traces);
    }

    synchronized List<String> runErrors() {
        return new ArrayList<>(runErrors);
    }

    /** Judgements recorded for a target so far (a copy). */
    public synchronized List<Judgement> judgements(String target) {
        TargetEntry e = targets.get(target);
        return e == null ? List.of() : new ArrayList<>(e.judgements);
    }

    static TraceRecord toRecord(String id, String scenario, String target, MqttVersion version, Trace trace) {
        List<TraceRecord.Event> events = new ArrayList<>();
        for (TraceEvent e : trace.events()) {
            int n = e.bytes().length();
            String hex;
            if (n <= MAX_HEX_BYTES) {
                hex = e.bytes().toHex();
            } else {
                hex = dev.mqttharness.spec.packet.BinaryData.wrap(e.bytes().toByteArray(), 0, MAX_HEX_BYTES).toHex() + "...";
            }
            events.add(new TraceRecord.Event(e.atNanos() / 1000, e.connection(), e.kind().name(), hex, n, e.text()));
        }
        return new TraceRecord(id, scenario, target, version.label(), trace.startEpochMillis(), events, trace.dropped());
    }
}
