package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.ReasonCode;
import java.util.List;

/**
 * Why bytes are not an acceptable packet. In MQTT 5 the receiver reports {@code reasonCode}
 * (0x81 Malformed Packet, 0x82 Protocol Error, or a more specific code such as 0x84 or 0x95) before
 * closing; in 3.1.1 it only closes the connection ({@link #closeOnly()}).
 *
 * @param reasonCode the MQTT 5 Reason Code that classifies the error
 * @param statements statement IDs broken ({@code MQTT-x.y.z-n}, or {@code §section} where the rule has no number)
 * @param offset     stream offset of the offending byte
 * @param type       the packet type, or null if the fixed header was unusable
 * @param version    the version the bytes were judged against, or null before CONNECT
 * @param reason     a one-line explanation
 */
public record Malformed(int reasonCode, List<String> statements, long offset, PacketType type,
                        MqttVersion version, String reason) implements DecodeResult {

    public Malformed {
        statements = List.copyOf(statements);
    }

    /** In 3.1 / 3.1.1 the only reaction the spec defines is closing the connection. */
    public boolean closeOnly() {
        return version != null && !version.isV5();
    }

    public boolean isProtocolError() {
        return reasonCode == ReasonCode.PROTOCOL_ERROR.value();
    }

    @Override
    public String toString() {
        return String.format("%s at byte %d%s: %s (0x%02X, %s)", reasonCode == 0x82 ? "protocol error" : "malformed",
                offset, type == null ? "" : " in " + type, reason, reasonCode, String.join(", ", statements));
    }
}
