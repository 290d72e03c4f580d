package dev.mqttharness.spec.trace;

import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Packet;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence of a scenario or fuzz case: every event of every connection involved, in the order
 * the harness saw them. Appends are thread-safe (each connection's reader thread appends). A trace
 * keeps at most {@code maxEvents} events; later ones are counted and dropped so a flood cannot
 * exhaust memory.
 */
public final class Trace {
    public static final int DEFAULT_MAX_EVENTS = 20_000;

    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private final List<TraceEvent> events = new ArrayList<>();
    private final int maxEvents;
    private int dropped;

    public Trace() {
        this(DEFAULT_MAX_EVENTS);
    }

    public Trace(int maxEvents) {
        this.maxEvents = maxEvents;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public TraceEvent add(String connection, TraceEvent.Kind kind, BinaryData bytes, Packet packet, String text) {
        return add(new TraceEvent(System.nanoTime() - startNanos, connection, kind, bytes, packet, text, null));
    }

    /** Records bytes that did not decode, with the statements they break. */
    public TraceEvent addMalformed(String connection, BinaryData bytes, dev.mqttharness.spec.codec.Malformed m) {
        return add(new TraceEvent(System.nanoTime() - startNanos, connection, TraceEvent.Kind.MALFORMED, bytes, null,
                m.toString(), m.statements()));
    }

    private TraceEvent add(TraceEvent e) {
        synchronized (events) {
            if (events.size() < maxEvents) {
                events.add(e);
            } else {
                dropped++;
            }
        }
        return e;
    }

    public void note(String connection, String text) {
        add(connection, TraceEvent.Kind.NOTE, null, null, text);
    }

    /** A snapshot of the events so far. */
    public List<TraceEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public int dropped() {
        synchronized (events) {
            return dropped;
        }
    }

    /** The names of the connections that appear, in order of first appearance. */
    public List<String> connections() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events()) {
            if (!out.contains(e.connection())) {
                out.add(e.connection());
            }
        }
        return out;
    }
}
