package dev.mqttharness.fuzz.gen;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.PacketType;
import java.nio.charset.StandardCharsets;

/**
 * A CONNECT written field by field, so that flags and fields can contradict each other: the flags
 * byte follows from the fields present, then {@link #flagsXor} flips bits on purpose. Lengths can be
 * made to lie and bytes can trail the payload.
 */
final class RawConnect {
    final MqttVersion version;
    String protocolName;
    int level;
    int flagsXor;
    boolean cleanStart = true;
    int keepAlive;
    byte[] properties = new byte[0];
    byte[] clientId;
    byte[] willProperties = new byte[0];
    byte[] willTopic;
    byte[] willPayload;
    int willQos;
    boolean willFlag;
    byte[] username;
    byte[] password;
    byte[] trailing = new byte[0];
    /** Field whose two-byte length says more than is there: "clientId", "willPayload", "username". */
    String lengthLie;
    /** The packet is cut after this many body bytes, with the Remaining Length saying so (-1: not cut). */
    int cutAt = -1;

    RawConnect(MqttVersion version, String clientId) {
        this.version = version;
        this.protocolName = version.protocolName();
        this.level = version.level();
        this.clientId = clientId.getBytes(StandardCharsets.UTF_8);
    }

    RawConnect will(String topic, String payload, int qos) {
        this.willFlag = true;
        this.willTopic = topic.getBytes(StandardCharsets.UTF_8);
        this.willPayload = payload.getBytes(StandardCharsets.UTF_8);
        this.willQos = qos;
        return this;
    }

    int flags() {
        int f = (cleanStart ? 0x02 : 0) | (willFlag ? 0x04 | (willQos << 3) : 0)
                | (password != null ? 0x40 : 0) | (username != null ? 0x80 : 0);
        return (f ^ flagsXor) & 0xFF;
    }

    byte[] toBytes() {
        boolean v5 = version.isV5();
        ByteWriter w = new ByteWriter(64);
        w.utf8(protocolName).u8(level).u8(flags()).u16(keepAlive);
        if (v5) {
            w.vbi(properties.length).bytes(properties);
        }
        field(w, clientId, "clientId");
        if (willTopic != null) {
            if (v5) {
                w.vbi(willProperties.length).bytes(willProperties);
            }
            field(w, willTopic, "willTopic");
            field(w, willPayload, "willPayload");
        }
        if (username != null) {
            field(w, username, "username");
        }
        if (password != null) {
            field(w, password, "password");
        }
        w.bytes(trailing);
        byte[] body = w.toByteArray();
        if (cutAt >= 0 && cutAt < body.length) {
            body = java.util.Arrays.copyOf(body, cutAt);
        }
        return RawPacket.of(PacketType.CONNECT).body(body).toBytes();
    }

    private void field(ByteWriter w, byte[] b, String name) {
        if (name.equals(lengthLie)) {
            // the length claims 16 more bytes than the field has; nothing follows it
            w.u16(b.length + 16).bytes(b);
        } else {
            w.lengthPrefixed(b);
        }
    }
}
