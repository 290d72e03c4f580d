package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.assertMalformed;
import static dev.mqttharness.spec.codec.Wire.bytes;
import static dev.mqttharness.spec.codec.Wire.cat;
import static dev.mqttharness.spec.codec.Wire.malformedFromClient;
import static dev.mqttharness.spec.codec.Wire.malformedFromServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The fixed header (§2.2 in 3.1.1, §2.1 in 5.0): type, flags, Remaining Length, size and direction. */
class FixedHeaderDecodingTest {

    // ---------------------------------------------------------------- Remaining Length

    @Test
    void decode_remaining_length_not_minimal_bytes_3_1_1() {
        Malformed m = malformedFromClient(V3_1_1, bytes(
                0xC0,        // PINGREQ
                0x80, 0x00)); // Remaining Length 0 in two bytes
        assertMalformed(m, V3_1_1, 0x81, "§2.2.3", 2);
    }

    @Test
    void decode_remaining_length_not_minimal_bytes_5_0() {
        Malformed m = malformedFromClient(V5, bytes(
                0x30,                    // PUBLISH QoS 0
                0x83, 0x80, 0x00,        // Remaining Length 3 in three bytes
                0x00, 0x01, 'a'));
        assertMalformed(m, V5, 0x81, "MQTT-1.5.5-1", 3);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_remaining_length_more_than_four_bytes(MqttVersion v) {
        Malformed m = malformedFromClient(v, bytes(
                0x30,                          // PUBLISH
                0xFF, 0xFF, 0xFF, 0xFF, 0x01)); // five length bytes
        assertMalformed(m, v, 0x81, v.isV5() ? "§1.5.5" : "§2.2.3", 5);
    }

    @Test
    void decode_remaining_length_four_bytes_maximum_is_judged_against_packet_size() {
        Malformed m = malformedFromClient(V5, bytes(
                0x30,
                0xFF, 0xFF, 0xFF, 0x7F)); // 268,435,455: the largest Remaining Length
        assertMalformed(m, V5, 0x95, "MQTT-3.2.2-15", 0);
    }

    // ---------------------------------------------------------------- maximum packet size

    @Test
    void decode_packet_larger_than_maximum_rejected_from_the_header_without_allocating() {
        MqttDecoder d = new MqttDecoder(PacketType.Sender.CLIENT, V5, 1024);
        byte[] header = bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F); // PUBLISH claiming 256 MB
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<DecodeResult> out = new ArrayList<>();
        d.feed(header, 0, 1, out::add); // warm the path up
        long before = mx.getCurrentThreadAllocatedBytes();
        d.feed(header, 1, 4, out::add);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(out).hasSize(1);
        assertMalformed((Malformed) out.get(0), V5, 0x95, "MQTT-3.2.2-15", 0);
        assertThat(d.failed()).isTrue();
        assertThat(d.bufferCapacity()).isZero();
        assertThat(allocated).as("bytes allocated while judging the header").isLessThan(64 * 1024);
        // later bytes are ignored
        assertThat(d.feed(bytes(0xC0, 0x00))).isEmpty();
    }

    @Test
    void decode_packet_larger_than_maximum_from_server_names_the_clients_limit() {
        MqttDecoder d = MqttDecoder.forClient(V5, 16);
        List<DecodeResult> out = d.feed(bytes(0x30, 0x0F, 0x00, 0x01, 'a')); // 17 bytes announced
        assertMalformed((Malformed) out.get(0), V5, 0x95, "MQTT-3.1.2-24", 0);
    }

    @Test
    void decode_packet_of_exactly_maximum_size_accepted() {
        MqttDecoder d = new MqttDecoder(PacketType.Sender.CLIENT, V3_1_1, 7);
        List<DecodeResult> out = d.feed(bytes(0x30, 0x05, 0x00, 0x01, 'a', 'x', 'y')); // 7 bytes
        assertThat(out).singleElement().isInstanceOf(DecodeResult.Decoded.class);
    }

    @Test
    void decode_large_packet_within_maximum_buffers_only_what_arrived() {
        // a header claiming 256 MB under the protocol's own maximum: allowed, but the decoder must
        // not reserve 256 MB for five bytes
        MqttDecoder d = new MqttDecoder(PacketType.Sender.CLIENT, V5, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
        assertThat(d.feed(bytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, 'a'))).isEmpty();
        assertThat(d.hasPartialPacket()).isTrue();
        assertThat(d.bufferCapacity()).isLessThanOrEqualTo(64 * 1024);
        byte[] chunk = new byte[100_000];
        d.feed(chunk);
        assertThat(d.bufferCapacity()).isBetween(100_008, 2 * 100_008);
    }

    // ---------------------------------------------------------------- packet types

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_reserved_packet_type_0(MqttVersion v) {
        Malformed m = malformedFromClient(v, bytes(0x00, 0x00));
        assertMalformed(m, v, 0x81, v.isV5() ? "§2.1.2" : "§2.2.1", 0);
        assertThat(m.type()).isNull();
    }

    @Test
    void decode_auth_in_3_1_1_is_a_reserved_packet_type() {
        Malformed m = malformedFromClient(V3_1_1, bytes(0xF0, 0x00));
        assertMalformed(m, V3_1_1, 0x81, "§2.2.1", 0);
        assertMalformed(malformedFromServer(V3_1_1, bytes(0xF0, 0x00)), V3_1_1, 0x81, "§2.2.1", 0);
    }

    @Test
    void decode_first_packet_not_connect() {
        Malformed m = singleMalformed(MqttDecoder.forServer(Wire.MAX).feed(bytes(0xC0, 0x00))); // PINGREQ first
        assertMalformed(m, V5, 0x82, "MQTT-3.1.0-1", 0);
        assertThat(m.type()).isEqualTo(PacketType.PINGREQ);
    }

    // ---------------------------------------------------------------- reserved flag bits

    /** Every non-PUBLISH type, with a valid body, and each wrong value of its four flag bits. */
    static Stream<Arguments> wrongFlags() {
        List<Arguments> out = new ArrayList<>();
        for (MqttVersion v : List.of(V3_1_1, V5)) {
            for (PacketType t : PacketType.values()) {
                if (t == PacketType.PUBLISH || (t == PacketType.AUTH && !v.isV5())) {
                    continue;
                }
                for (int flags = 0; flags < 16; flags++) {
                    if (flags != t.requiredFlags()) {
                        out.add(Arguments.of(v, t, flags));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} flags {2}")
    @MethodSource("wrongFlags")
    void decode_reserved_flags_not_as_specified(MqttVersion v, PacketType type, int flags) {
        byte[] packet = RawPacket.withFlags(validPacket(v, type), flags);
        boolean fromClient = type.sentByClient();
        Malformed m = fromClient ? malformedFromClient(v, packet) : malformedFromServer(v, packet);
        assertMalformed(m, v, 0x81, v.isV5() ? "MQTT-2.1.3-1" : "MQTT-2.2.2-2", 0);
        String specific = switch (type) {
            case PUBREL -> "MQTT-3.6.1-1";
            case SUBSCRIBE -> "MQTT-3.8.1-1";
            case UNSUBSCRIBE -> "MQTT-3.10.1-1";
            default -> null;
        };
        if (specific != null) {
            assertThat(m.statements()).contains(specific);
        }
    }

    @ParameterizedTest
    @EnumSource(PacketType.class)
    void decode_required_flags_accepted(PacketType type) {
        for (MqttVersion v : List.of(V3_1_1, V5)) {
            if (type == PacketType.AUTH && !v.isV5()) {
                continue;
            }
            byte[] packet = validPacket(v, type);
            List<DecodeResult> r = type.sentByClient() ? Wire.fromClient(v, packet) : Wire.fromServer(v, packet);
            assertThat(r).as(v + " " + type).singleElement().isInstanceOf(DecodeResult.Decoded.class);
        }
    }

    /** A small valid packet of each type, as its sender writes it. */
    static byte[] validPacket(MqttVersion v, PacketType type) {
        boolean v5 = v.isV5();
        byte[] props = v5 ? bytes(0x00) : new byte[0];
        switch (type) {
            case CONNECT:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x04), Wire.ascii("MQTT"), bytes(v.level(), 0x02, 0x00, 0x3C),
                        props, bytes(0x00, 0x01, 'c'))).toBytes();
            case CONNACK:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x00), props)).toBytes();
            case PUBLISH:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x01, 't'), props, bytes('p'))).toBytes();
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                return RawPacket.of(type).body(bytes(0x00, 0x07)).toBytes();
            case SUBSCRIBE:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x07), props, bytes(0x00, 0x01, 't', 0x01))).toBytes();
            case SUBACK:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x07), props, bytes(0x01))).toBytes();
            case UNSUBSCRIBE:
                return RawPacket.of(type).body(cat(bytes(0x00, 0x07), props, bytes(0x00, 0x01, 't'))).toBytes();
            case UNSUBACK:
                return RawPacket.of(type).body(v5 ? bytes(0x00, 0x07, 0x00, 0x00) : bytes(0x00, 0x07)).toBytes();
            case PINGREQ:
            case PINGRESP:
            case DISCONNECT:
            case AUTH:
                return RawPacket.of(type).toBytes();
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    // ---------------------------------------------------------------- direction

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"CONNACK", "SUBACK", "UNSUBACK", "PINGRESP"})
    void decode_server_packet_sent_by_a_client(PacketType type) {
        for (MqttVersion v : List.of(V3_1_1, V5)) {
            Malformed m = malformedFromClient(v, validPacket(v, type));
            assertMalformed(m, v, 0x82, v.isV5() ? "§2.1.2" : "§2.2.1", 0);
            assertThat(m.type()).isEqualTo(type);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"CONNECT", "SUBSCRIBE", "UNSUBSCRIBE", "PINGREQ"})
    void decode_client_packet_sent_by_a_server(PacketType type) {
        for (MqttVersion v : List.of(V3_1_1, V5)) {
            Malformed m = malformedFromServer(v, validPacket(v, type));
            assertMalformed(m, v, 0x82, v.isV5() ? "§2.1.2" : "§2.2.1", 0);
        }
    }

    @Test
    void decode_disconnect_sent_by_a_3_1_1_server() {
        Malformed m = malformedFromServer(V3_1_1, bytes(0xE0, 0x00));
        assertMalformed(m, V3_1_1, 0x82, "§2.2.1", 0);
        assertThat(Wire.decodedFromServer(V5, bytes(0xE0, 0x00))).isNotNull();
    }

    // ---------------------------------------------------------------- several packets, offsets

    @Test
    void decode_offsets_count_from_the_stream_start() {
        MqttDecoder d = Wire.serverSide(V3_1_1);
        List<DecodeResult> r = d.feed(bytes(0xC0, 0x00, 0xC0, 0x00, 0xC0, 0x01, 0x00));
        assertThat(r).hasSize(3);
        assertThat(((DecodeResult.Decoded) r.get(1)).packet()).isEqualTo(Pingreq.INSTANCE);
        assertThat(r.get(1).offset()).isEqualTo(2);
        assertMalformed((Malformed) r.get(2), V3_1_1, 0x81, "§3.12.1", 6);
        assertThat(d.position()).isEqualTo(7);
    }

    @Test
    void client_side_decoder_needs_a_version() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MqttDecoder(PacketType.Sender.SERVER, null, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Malformed singleMalformed(List<DecodeResult> r) {
        assertThat(r).singleElement().isInstanceOf(Malformed.class);
        return (Malformed) r.get(0);
    }
}
