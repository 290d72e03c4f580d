package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.assertMalformed;
import static dev.mqttharness.spec.codec.Wire.bytes;
import static dev.mqttharness.spec.codec.Wire.decodedFromClient;
import static dev.mqttharness.spec.codec.Wire.decodedFromServer;
import static dev.mqttharness.spec.codec.Wire.malformedFromClient;
import static dev.mqttharness.spec.codec.Wire.malformedFromServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Unsuback;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CONNACK (§3.2), PUBACK / PUBREC / PUBREL / PUBCOMP (§3.4 - 3.7), SUBACK (§3.9), UNSUBACK (§3.11). */
class AckDecodingTest {

    // ---------------------------------------------------------------- CONNACK

    @Test
    void decode_connack_3_1_1() {
        byte[] b = bytes(
                0x20, 0x02,     // CONNACK, Remaining Length 2
                0x01,           // session present
                0x00);          // return code 0: accepted
        assertThat(decodedFromServer(V3_1_1, b)).isEqualTo(Connack.accepted(true));
        assertThat(decodedFromServer(V3_1_1, bytes(0x20, 0x02, 0x00, 0x05)))
                .isEqualTo(new Connack(false, 5, Properties.EMPTY));
    }

    @Test
    void decode_connack_3_1_1_remaining_length_not_2() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x20, 0x03, 0x00, 0x00, 0x00)), V3_1_1, 0x81, "§3.2.1", 2);
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x20, 0x01, 0x00)), V3_1_1, 0x81, "§3.2.1", 2);
    }

    @Test
    void decode_connack_acknowledge_flags_reserved_bits() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x20, 0x02, 0x02, 0x00)), V3_1_1, 0x81, "§3.2.2.1", 2);
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x03, 0x80, 0x00, 0x00)), V5, 0x81, "MQTT-3.2.2-1", 2);
    }

    @Test
    void decode_connack_return_code_not_defined() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x20, 0x02, 0x00, 0x06)), V3_1_1, 0x81, "§3.2.2.3", 3);
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x03, 0x00, 0x01, 0x00)), V5, 0x81, "MQTT-3.2.2-8", 3);
    }

    @Test
    void decode_connack_session_present_with_non_zero_code() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x20, 0x02, 0x01, 0x05)), V3_1_1, 0x82, "MQTT-3.2.2-4", 2);
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x03, 0x01, 0x87, 0x00)), V5, 0x82, "MQTT-3.2.2-6", 2);
    }

    @Test
    void decode_connack_5_0_with_every_connack_property() {
        byte[] b = bytes(
                0x20, 0x41,                         // CONNACK, Remaining Length 65
                0x00,                               // no session present
                0x00,                               // success
                0x3E,                               // property length 62
                0x11, 0x00, 0x00, 0x00, 0x0A,       //   session expiry interval 10
                0x21, 0x00, 0x0A,                   //   receive maximum 10
                0x24, 0x01,                         //   maximum QoS 1
                0x25, 0x00,                         //   retain available 0
                0x27, 0x00, 0x00, 0x10, 0x00,       //   maximum packet size 4096
                0x12, 0x00, 0x02, 'i', 'd',         //   assigned client identifier "id"
                0x22, 0x00, 0x03,                   //   topic alias maximum 3
                0x1F, 0x00, 0x02, 'o', 'k',         //   reason string "ok"
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // user property k=v
                0x28, 0x00,                         //   wildcard subscription available 0
                0x29, 0x01,                         //   subscription identifiers available 1
                0x2A, 0x00,                         //   shared subscription available 0
                0x13, 0x00, 0x1E,                   //   server keep alive 30
                0x1A, 0x00, 0x01, 'r',              //   response information "r"
                0x1C, 0x00, 0x01, 's',              //   server reference "s"
                0x15, 0x00, 0x01, 'm',              //   authentication method "m"
                0x16, 0x00, 0x01, 0x07);            //   authentication data 07
        Properties props = Properties.builder()
                .number(PropertyId.SESSION_EXPIRY_INTERVAL, 10)
                .number(PropertyId.RECEIVE_MAXIMUM, 10)
                .number(PropertyId.MAXIMUM_QOS, 1)
                .number(PropertyId.RETAIN_AVAILABLE, 0)
                .number(PropertyId.MAXIMUM_PACKET_SIZE, 4096)
                .string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "id")
                .number(PropertyId.TOPIC_ALIAS_MAXIMUM, 3)
                .string(PropertyId.REASON_STRING, "ok")
                .userProperty("k", "v")
                .number(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 0)
                .number(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1)
                .number(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 0)
                .number(PropertyId.SERVER_KEEP_ALIVE, 30)
                .string(PropertyId.RESPONSE_INFORMATION, "r")
                .string(PropertyId.SERVER_REFERENCE, "s")
                .string(PropertyId.AUTHENTICATION_METHOD, "m")
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.of(new byte[] {7}))
                .build();
        Connack expected = new Connack(false, 0, props);
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_connack_5_0_without_property_length() {
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x02, 0x00, 0x00)), V5, 0x81, "MQTT-2.2.2-1", 4);
    }

    @Test
    void decode_connack_5_0_maximum_qos_2() {
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02)), V5, 0x82, "§2.2.2.2", 5);
    }

    @Test
    void decode_connack_5_0_property_not_allowed() {
        byte[] b = bytes(0x20, 0x08, 0x00, 0x00, 0x05, 0x18, 0x00, 0x00, 0x00, 0x01); // will delay interval
        assertMalformed(malformedFromServer(V5, b), V5, 0x81, "§2.2.2.2", 5);
    }

    @Test
    void decode_connack_5_0_receive_maximum_0() {
        byte[] b = bytes(0x20, 0x06, 0x00, 0x00, 0x03, 0x21, 0x00, 0x00);
        assertMalformed(malformedFromServer(V5, b), V5, 0x82, "§3.2.2.3.3", 5);
    }

    // ---------------------------------------------------------------- PUBACK, PUBREC, PUBREL, PUBCOMP

    static int firstByte(PacketType t) {
        return (t.code() << 4) | t.requiredFlags();
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_3_1_1(PacketType t) {
        byte[] b = bytes(
                firstByte(t), 0x02,     // type and flags, Remaining Length 2
                0xAB, 0xCD);            // packet identifier 0xABCD
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(PubAck.of(t, 0xABCD));
        assertThat(decodedFromServer(V3_1_1, b)).isEqualTo(PubAck.of(t, 0xABCD));
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_3_1_1_remaining_length_not_2(PacketType t) {
        Malformed m = malformedFromClient(V3_1_1, bytes(firstByte(t), 0x03, 0x00, 0x01, 0x00));
        assertMalformed(m, V3_1_1, 0x81, "§3." + t.code() + ".1", 2);
        assertMalformed(malformedFromClient(V3_1_1, bytes(firstByte(t), 0x01, 0x01)), V3_1_1, 0x81, "§3." + t.code() + ".1", 2);
        assertMalformed(malformedFromClient(V3_1_1, bytes(firstByte(t), 0x00)), V3_1_1, 0x81, "§3." + t.code() + ".1", 2);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_packet_identifier_0(PacketType t) {
        assertMalformed(malformedFromClient(V3_1_1, bytes(firstByte(t), 0x02, 0x00, 0x00)), V3_1_1, 0x81, "MQTT-2.3.1-6", 2);
        assertMalformed(malformedFromClient(V5, bytes(firstByte(t), 0x02, 0x00, 0x00)), V5, 0x81, "MQTT-2.2.1-5", 2);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_5_0_forms(PacketType t) {
        int code = t == PacketType.PUBREL || t == PacketType.PUBCOMP ? 0x92 : 0x10;
        // the short form: packet identifier only, reason code 0 implied
        assertThat(decodedFromServer(V5, bytes(firstByte(t), 0x02, 0x00, 0x05))).isEqualTo(PubAck.of(t, 5));
        // reason code, no properties
        byte[] rcOnly = bytes(firstByte(t), 0x03, 0x00, 0x05, code);
        assertThat(decodedFromServer(V5, rcOnly)).isEqualTo(PubAck.of(t, 5, code, Properties.EMPTY));
        // reason code and properties
        byte[] full = bytes(
                firstByte(t), 0x0E,                     // Remaining Length 14
                0x00, 0x05,                             // packet identifier 5
                code,                                   // reason code
                0x0A,                                   // property length 10
                0x1F, 0x00, 0x01, 'x',                  //   reason string "x"
                0x26, 0x00, 0x01, 'k', 0x00, 0x00);     //   user property k=""
        PubAck expected = PubAck.of(t, 5, code, Properties.builder()
                .string(PropertyId.REASON_STRING, "x").userProperty("k", "").build());
        assertThat(decodedFromClient(V5, full)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(full);
        assertThat(MqttEncoder.encode(PubAck.of(t, 5), V5)).containsExactly(firstByte(t), 0x02, 0x00, 0x05);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_5_0_reason_code_not_defined(PacketType t) {
        Malformed m = malformedFromServer(V5, bytes(firstByte(t), 0x03, 0x00, 0x05, 0x01));
        assertMalformed(m, V5, 0x81, "MQTT-3." + t.code() + ".2-1", 4);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_5_0_property_not_allowed(PacketType t) {
        Malformed m = malformedFromServer(V5, bytes(firstByte(t), 0x07, 0x00, 0x05, 0x00, 0x03, 0x23, 0x00, 0x01));
        assertMalformed(m, V5, 0x81, "§2.2.2.2", 6);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"})
    void decode_publish_ack_5_0_remaining_length_1(PacketType t) {
        assertMalformed(malformedFromServer(V5, bytes(firstByte(t), 0x01, 0x00)), V5, 0x81, "§3." + t.code() + ".2", 2);
    }

    @Test
    void decode_trailing_bytes_after_the_last_field() {
        // 5.0 CONNACK: flags, code, property length 0, then one byte too many
        assertMalformed(malformedFromServer(V5, bytes(0x20, 0x04, 0x00, 0x00, 0x00, 0xAA)), V5, 0x81, "§2.1.4", 5);
        // 5.0 PUBACK: identifier, code, property length 0, then one byte too many
        assertMalformed(malformedFromClient(V5, bytes(0x40, 0x05, 0x00, 0x01, 0x00, 0x00, 0xAA)), V5, 0x81, "§2.1.4", 6);
        // 5.0 DISCONNECT: code, property length 0, then one byte too many
        assertMalformed(malformedFromClient(V5, bytes(0xE0, 0x03, 0x00, 0x00, 0xAA)), V5, 0x81, "§2.1.4", 4);
        // 3.1.1 UNSUBACK has exactly two bytes
        assertMalformed(malformedFromServer(V3_1_1, bytes(0xB0, 0x03, 0x00, 0x01, 0xAA)), V3_1_1, 0x81, "§3.11.1", 2);
    }

    // ---------------------------------------------------------------- SUBACK

    @Test
    void decode_suback_3_1_1() {
        byte[] b = bytes(
                0x90, 0x06,                 // SUBACK, Remaining Length 6
                0x00, 0x0A,                 // packet identifier 10
                0x00, 0x01, 0x02, 0x80);    // granted QoS 0, 1, 2, failure
        Suback expected = new Suback(10, Properties.EMPTY, List.of(0, 1, 2, 0x80));
        assertThat(decodedFromServer(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_suback_5_0_with_reason_string() {
        byte[] b = bytes(
                0x90, 0x0A,                 // SUBACK, Remaining Length 10
                0x00, 0x0A,                 // packet identifier 10
                0x04, 0x1F, 0x00, 0x01, 'n', // property length 4: reason string "n"
                0x01, 0x87, 0xA2);          // granted QoS 1, not authorized, wildcards not supported
        Suback expected = new Suback(10, Properties.builder().string(PropertyId.REASON_STRING, "n").build(),
                List.of(1, 0x87, 0xA2));
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_suback_return_code_not_defined() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x90, 0x03, 0x00, 0x01, 0x03)), V3_1_1, 0x81, "MQTT-3.9.3-2", 4);
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x90, 0x03, 0x00, 0x01, 0x87)), V3_1_1, 0x81, "MQTT-3.9.3-2", 4);
        assertMalformed(malformedFromServer(V5, bytes(0x90, 0x04, 0x00, 0x01, 0x00, 0x03)), V5, 0x81, "MQTT-3.9.3-2", 5);
    }

    @Test
    void decode_suback_without_codes() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x90, 0x02, 0x00, 0x01)), V3_1_1, 0x81, "MQTT-3.8.4-5", 4);
        assertMalformed(malformedFromServer(V5, bytes(0x90, 0x03, 0x00, 0x01, 0x00)), V5, 0x81, "MQTT-3.8.4-6", 5);
    }

    @Test
    void decode_suback_packet_identifier_0() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0x90, 0x03, 0x00, 0x00, 0x00)), V3_1_1, 0x81, "MQTT-2.3.1-7", 2);
        assertMalformed(malformedFromServer(V5, bytes(0x90, 0x04, 0x00, 0x00, 0x00, 0x00)), V5, 0x81, "MQTT-2.2.1-6", 2);
    }

    // ---------------------------------------------------------------- UNSUBACK

    @Test
    void decode_unsuback_3_1_1() {
        byte[] b = bytes(0xB0, 0x02, 0x00, 0x07); // UNSUBACK, packet identifier 7
        Unsuback expected = new Unsuback(7, Properties.EMPTY, List.of());
        assertThat(decodedFromServer(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_unsuback_3_1_1_remaining_length_not_2() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0xB0, 0x03, 0x00, 0x07, 0x00)), V3_1_1, 0x81, "§3.11.1", 2);
    }

    @Test
    void decode_unsuback_5_0() {
        byte[] b = bytes(
                0xB0, 0x05,             // UNSUBACK, Remaining Length 5
                0x00, 0x07,             // packet identifier 7
                0x00,                   // property length 0
                0x00, 0x11);            // success, no subscription existed
        Unsuback expected = new Unsuback(7, Properties.EMPTY, List.of(0x00, 0x11));
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_unsuback_5_0_without_codes() {
        assertMalformed(malformedFromServer(V5, bytes(0xB0, 0x03, 0x00, 0x07, 0x00)), V5, 0x81, "MQTT-3.11.3-2", 5);
    }

    @Test
    void decode_unsuback_5_0_reason_code_not_defined() {
        assertMalformed(malformedFromServer(V5, bytes(0xB0, 0x04, 0x00, 0x07, 0x00, 0x01)), V5, 0x81, "MQTT-3.11.3-2", 5);
    }

    @Test
    void decode_unsuback_packet_identifier_0() {
        assertMalformed(malformedFromServer(V3_1_1, bytes(0xB0, 0x02, 0x00, 0x00)), V3_1_1, 0x81, "MQTT-2.3.1-7", 2);
        assertMalformed(malformedFromServer(V5, bytes(0xB0, 0x04, 0x00, 0x00, 0x00, 0x00)), V5, 0x81, "MQTT-2.2.1-6", 2);
    }
}
