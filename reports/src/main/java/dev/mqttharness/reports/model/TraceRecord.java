package dev.mqttharness.reports.model;

import java.util.List;

/**
 * The wire evidence of one scenario or fuzz case: every event of every connection.
 *
 * @param id               trace id, unique within the run
 * @param scenario         the scenario or case that produced it
 * @param target           the broker
 * @param version          protocol version
 * @param startEpochMillis when the trace started
 * @param events           events in the order the harness saw them
 * @param dropped          events dropped because the trace hit its size bound
 */
public record TraceRecord(String id, String scenario, String target, String version, long startEpochMillis,
                          List<Event> events, int dropped) {

    public TraceRecord {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /**
     * One event.
     *
     * @param atMicros   microseconds since the trace started
     * @param connection connection name within the trace
     * @param kind       CONNECTED, SENT, RECEIVED, MALFORMED, CLOSED_BY_PEER, CLOSED_BY_HARNESS, NOTE
     * @param hex        the bytes, hex (possibly shortened, see {@code bytes})
     * @param bytes      the number of bytes
     * @param text       decoded packet or description
     */
    public record Event(long atMicros, String connection, String kind, String hex, int bytes, String text) {
    }
}
