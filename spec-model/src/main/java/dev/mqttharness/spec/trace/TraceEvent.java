package dev.mqttharness.spec.trace;

import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Packet;

/**
 * One thing that happened on a connection: bytes sent or received (with the packet they decoded
 * to), a connection opened or closed, a malformed packet, or a note from the harness.
 *
 * @param atNanos    nanoseconds since the trace started
 * @param connection the connection's name within the trace, e.g. "sub" or "pub#2"
 * @param bytes      the bytes sent or received, or empty
 * @param packet     the decoded packet, or null
 * @param text       a one-line description (packet summary, close reason, decoder error, note)
 * @param statements for MALFORMED: the statements the bytes break; otherwise empty
 */
public record TraceEvent(long atNanos, String connection, Kind kind, BinaryData bytes, Packet packet, String text,
                         java.util.List<String> statements) {

    /** What happened. */
    public enum Kind {
        CONNECTED, SENT, RECEIVED, MALFORMED, CLOSED_BY_PEER, CLOSED_BY_HARNESS, NOTE
    }

    public TraceEvent {
        bytes = bytes == null ? BinaryData.EMPTY : bytes;
        text = text == null ? "" : text;
        statements = statements == null ? java.util.List.of() : java.util.List.copyOf(statements);
    }
}
