package dev.mqttharness.fuzz.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Campaign statistics, safe for concurrent workers: packets generated per type and how many cases
 * exercised each statement (from the checks' results and the mutations' labels).
 */
public final class Stats {
    private final ConcurrentHashMap<String, LongAdder> packets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> statements = new ConcurrentHashMap<>();
    private final LongAdder cases = new LongAdder();

    public void packet(String type) {
        packets.computeIfAbsent(type, k -> new LongAdder()).increment();
    }

    public void statement(String key) {
        statements.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    public void caseDone() {
        cases.increment();
    }

    public long cases() {
        return cases.sum();
    }

    public Map<String, Long> packetsByType() {
        return snapshot(packets);
    }

    public Map<String, Long> statementsExercised() {
        return snapshot(statements);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
