package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1;
import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.assertMalformed;
import static dev.mqttharness.spec.codec.Wire.bytes;
import static dev.mqttharness.spec.codec.Wire.cat;
import static dev.mqttharness.spec.codec.Wire.decodedFromClient;
import static dev.mqttharness.spec.codec.Wire.malformedFromClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.packet.Will;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CONNECT (§3.1) of 3.1, 3.1.1 and 5.0. */
class ConnectDecodingTest {

    /** Smallest 3.1.1 CONNECT: clean session, keep alive 60, client id "c"; 15 bytes. */
    static final byte[] MINIMAL_311 = bytes(
            0x10, 0x0D,                         // CONNECT, Remaining Length 13
            0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name           offset 2
            0x04,                               // protocol level 4        offset 8
            0x02,                               // flags: clean session    offset 9
            0x00, 0x3C,                         // keep alive 60           offset 10
            0x00, 0x01, 'c');                   // client id               offset 12

    /** Smallest 5.0 CONNECT; 16 bytes. */
    static final byte[] MINIMAL_5 = bytes(
            0x10, 0x0E,                         // CONNECT, Remaining Length 14
            0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name           offset 2
            0x05,                               // protocol level 5        offset 8
            0x02,                               // flags: clean start      offset 9
            0x00, 0x3C,                         // keep alive 60           offset 10
            0x00,                               // property length 0       offset 12
            0x00, 0x01, 'c');                   // client id               offset 13

    static byte[] minimal(MqttVersion v) {
        return v.isV5() ? MINIMAL_5 : MINIMAL_311;
    }

    static byte[] withFlags(MqttVersion v, int flags) {
        return RawPacket.withBodyByte(minimal(v), 7, flags);
    }

    @Test
    void decode_connect_3_1_1_with_will_user_name_and_password() {
        byte[] b = bytes(
                0x10, 0x22,                     // CONNECT, Remaining Length 34
                0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                0x04,                           // protocol level 4
                0xEE,                           // user name, password, will retain, will QoS 1, will, clean session
                0x00, 0x3C,                     // keep alive 60
                0x00, 0x03, 'c', 'i', 'd',      // client id "cid"
                0x00, 0x03, 'w', '/', 't',      // will topic "w/t"
                0x00, 0x02, 'b', 'y',           // will message "by"
                0x00, 0x04, 'u', 's', 'e', 'r', // user name "user"
                0x00, 0x02, 'p', 'w');          // password "pw"
        Connect expected = new Connect(V3_1_1, Utf8String.of("cid"), true, 60, Properties.EMPTY,
                new Will(TopicName.of("w/t"), BinaryData.of("by"), QoS.AT_LEAST_ONCE, true, Properties.EMPTY),
                Utf8String.of("user"), BinaryData.of("pw"));
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_connect_3_1_1_minimal() {
        Connect expected = Connect.builder(V3_1_1).clientId("c").keepAlive(60).build();
        assertThat(decodedFromClient(V3_1_1, MINIMAL_311)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(MINIMAL_311);
    }

    @Test
    void decode_connect_3_1_mqisdp() {
        byte[] b = bytes(
                0x10, 0x0F,                                 // CONNECT, Remaining Length 15
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p',   // protocol name "MQIsdp"
                0x03,                                       // protocol level 3
                0x02,                                       // clean session
                0x00, 0x3C,                                 // keep alive 60
                0x00, 0x01, 'c');                           // client id "c"
        MqttDecoder d = MqttDecoder.forServer(Wire.MAX);
        List<DecodeResult> r = d.feed(b);
        Connect expected = Connect.builder(V3_1).clientId("c").keepAlive(60).build();
        assertThat(r).singleElement().isEqualTo(new DecodeResult.Decoded(expected, 0, b.length));
        assertThat(d.version()).isEqualTo(V3_1);
        assertThat(MqttEncoder.encode(expected, V3_1)).isEqualTo(b);
    }

    @Test
    void decode_connect_5_0_with_every_connect_and_will_property() {
        byte[] b = bytes(
                0x10, 0x67,                         // CONNECT, Remaining Length 103
                0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name "MQTT"
                0x05,                               // protocol level 5
                0xD6,                               // user name, password, will QoS 2, will, clean start
                0x00, 0x0A,                         // keep alive 10
                0x27,                               // property length 39
                0x11, 0x00, 0x00, 0x00, 0x78,       //   session expiry interval 120
                0x21, 0x00, 0x14,                   //   receive maximum 20
                0x27, 0x00, 0x01, 0x00, 0x00,       //   maximum packet size 65536
                0x22, 0x00, 0x05,                   //   topic alias maximum 5
                0x19, 0x01,                         //   request response information 1
                0x17, 0x00,                         //   request problem information 0
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // user property k=v
                0x15, 0x00, 0x04, 'S', 'C', 'R', 'M', //  authentication method "SCRM"
                0x16, 0x00, 0x02, 0x01, 0x02,       //   authentication data 01 02
                0x00, 0x02, 'c', '5',               // client id "c5"
                0x24,                               // will property length 36
                0x18, 0x00, 0x00, 0x00, 0x1E,       //   will delay interval 30
                0x01, 0x01,                         //   payload format indicator 1 (UTF-8)
                0x02, 0x00, 0x00, 0x0E, 0x10,       //   message expiry interval 3600
                0x03, 0x00, 0x04, 't', 'e', 'x', 't', // content type "text"
                0x08, 0x00, 0x03, 'r', '/', 't',    //   response topic "r/t"
                0x09, 0x00, 0x01, 0x2A,             //   correlation data 2A
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b', // user property a=b
                0x00, 0x01, 'w',                    // will topic "w"
                0x00, 0x01, 'x',                    // will payload "x"
                0x00, 0x01, 'u',                    // user name "u"
                0x00, 0x01, 'p');                   // password "p"
        Properties props = Properties.builder()
                .number(PropertyId.SESSION_EXPIRY_INTERVAL, 120)
                .number(PropertyId.RECEIVE_MAXIMUM, 20)
                .number(PropertyId.MAXIMUM_PACKET_SIZE, 65536)
                .number(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .number(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)
                .number(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)
                .userProperty("k", "v")
                .string(PropertyId.AUTHENTICATION_METHOD, "SCRM")
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.of(new byte[] {1, 2}))
                .build();
        Properties willProps = Properties.builder()
                .number(PropertyId.WILL_DELAY_INTERVAL, 30)
                .number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .number(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600)
                .string(PropertyId.CONTENT_TYPE, "text")
                .string(PropertyId.RESPONSE_TOPIC, "r/t")
                .binary(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {0x2A}))
                .userProperty("a", "b")
                .build();
        Connect expected = new Connect(V5, Utf8String.of("c5"), true, 10, props,
                new Will(TopicName.of("w"), BinaryData.of("x"), QoS.EXACTLY_ONCE, false, willProps),
                Utf8String.of("u"), BinaryData.of("p"));
        assertThat(decodedFromClient(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_connect_5_0_password_without_user_name_accepted() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(RawPacket.bodyOf(withFlags(V5, 0x42)), bytes(0x00, 0x01, 'p')));
        Connect c = (Connect) decodedFromClient(V5, b);
        assertThat(c.username()).isNull();
        assertThat(c.password()).isEqualTo(BinaryData.of("p"));
    }

    @Test
    void decode_server_learns_the_version_from_connect() {
        MqttDecoder d = MqttDecoder.forServer(Wire.MAX);
        byte[] publish = bytes(0x30, 0x04, 0x00, 0x01, 't', 'p'); // no property length: 3.1.1 layout
        List<DecodeResult> r = d.feed(cat(MINIMAL_311, publish));
        assertThat(r).hasSize(2).allMatch(x -> x instanceof DecodeResult.Decoded);
        assertThat(d.version()).isEqualTo(V3_1_1);
        assertThat(((DecodeResult.Decoded) r.get(1)).packet()).isEqualTo(Publish.qos0("t", "p"));
    }

    // ---------------------------------------------------------------- protocol name and level

    @Test
    void decode_connect_protocol_name_wrong() {
        byte[] b = RawPacket.withBodyByte(MINIMAL_311, 5, 'X'); // "MQTX"
        Malformed m = malformedFromClient(V3_1_1, b);
        assertMalformed(m, V3_1_1, 0x84, "MQTT-3.1.2-1", 4);
    }

    @Test
    void decode_connect_protocol_level_unsupported() {
        for (int level : new int[] {0, 1, 2, 6, 0xFF}) {
            Malformed m = malformedFromClient(V5, RawPacket.withBodyByte(MINIMAL_5, 6, level));
            assertMalformed(m, V5, 0x84, "MQTT-3.1.2-2", 8);
        }
    }

    @Test
    void decode_connect_protocol_level_3_with_name_mqtt_unsupported() {
        Malformed m = malformedFromClient(V3_1_1, RawPacket.withBodyByte(MINIMAL_311, 6, 3));
        assertMalformed(m, V3_1_1, 0x84, "MQTT-3.1.2-2", 8);
    }

    @Test
    void decode_connect_server_side_before_version_known_uses_5_0_statements() {
        Malformed m = (Malformed) MqttDecoder.forServer(Wire.MAX).feed(RawPacket.withBodyByte(MINIMAL_311, 6, 9)).get(0);
        assertMalformed(m, V5, 0x84, "MQTT-3.1.2-2", 8);
        assertThat(m.version()).isNull();
        assertThat(m.closeOnly()).isFalse();
    }

    // ---------------------------------------------------------------- flags

    @Test
    void decode_connect_reserved_flag_set() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x03)), V3_1_1, 0x81, "MQTT-3.1.2-3", 9);
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x03)), V5, 0x81, "MQTT-3.1.2-3", 9);
    }

    @Test
    void decode_connect_will_qos_without_will_flag() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x0A)), V3_1_1, 0x81, "MQTT-3.1.2-13", 9);
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x12)), V5, 0x81, "MQTT-3.1.2-11", 9);
    }

    @Test
    void decode_connect_will_retain_without_will_flag() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x22)), V3_1_1, 0x81, "MQTT-3.1.2-15", 9);
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x22)), V5, 0x81, "MQTT-3.1.2-13", 9);
    }

    @Test
    void decode_connect_will_qos_3() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x1E)), V3_1_1, 0x81, "MQTT-3.1.2-14", 9);
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x1E)), V5, 0x81, "MQTT-3.1.2-12", 9);
    }

    @Test
    void decode_connect_3_1_1_password_without_user_name() {
        byte[] b = RawPacket.withBody(MINIMAL_311, cat(RawPacket.bodyOf(withFlags(V3_1_1, 0x42)), bytes(0x00, 0x01, 'p')));
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-3.1.2-22", 9);
    }

    @Test
    void decode_connect_will_flag_without_will_fields() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x06)), V3_1_1, 0x81, "MQTT-3.1.2-9", 15);
        // 5.0: the Will Properties length is the first missing field
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x06)), V5, 0x81, "MQTT-2.2.2-1", 16);
    }

    @Test
    void decode_connect_user_name_flag_without_user_name() {
        assertMalformed(malformedFromClient(V3_1_1, withFlags(V3_1_1, 0x82)), V3_1_1, 0x81, "MQTT-3.1.2-19", 15);
        assertMalformed(malformedFromClient(V5, withFlags(V5, 0x82)), V5, 0x81, "MQTT-3.1.2-17", 16);
    }

    @Test
    void decode_connect_password_flag_without_password() {
        byte[] b = RawPacket.withBody(MINIMAL_311, cat(RawPacket.bodyOf(withFlags(V3_1_1, 0xC2)), bytes(0x00, 0x01, 'u')));
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-3.1.2-21", 18);
    }

    @Test
    void decode_connect_trailing_bytes_after_the_last_announced_field() {
        byte[] b = RawPacket.withTrailingBytes(MINIMAL_311, bytes(0x00, 0x01, 'u')); // a user name the flags do not announce
        Malformed m = malformedFromClient(V3_1_1, b);
        assertMalformed(m, V3_1_1, 0x81, "MQTT-3.1.4-1", 15);
        assertThat(m.statements()).contains("MQTT-3.1.2-18");
        assertMalformed(malformedFromClient(V5, RawPacket.withTrailingBytes(MINIMAL_5, bytes(0x00))), V5, 0x81, "MQTT-3.1.4-1", 16);
    }

    @Test
    void decode_connect_truncated_variable_header() {
        byte[] b = bytes(0x10, 0x07, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04); // ends after the level
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-3.1.4-1", 9);
    }

    // ---------------------------------------------------------------- payload strings

    @Test
    void decode_connect_client_id_ill_formed_utf8() {
        byte[] b = RawPacket.withBodyByte(MINIMAL_311, 12, 0xC3); // a lead byte with no continuation
        Malformed m = malformedFromClient(V3_1_1, b);
        assertMalformed(m, V3_1_1, 0x81, "MQTT-1.5.3-1", 14);
        assertThat(m.statements()).contains("MQTT-3.1.3-4");
    }

    @Test
    void decode_connect_will_topic_with_wildcard() {
        byte[] b = bytes(
                0x10, 0x16,                         // CONNECT, Remaining Length 22
                0x00, 0x04, 'M', 'Q', 'T', 'T',
                0x05,
                0x06,                               // will, clean start
                0x00, 0x00,
                0x00,                               // property length 0
                0x00, 0x01, 'c',                    // client id
                0x00,                               // will property length 0
                0x00, 0x03, 'a', '/', '#',          // will topic "a/#"          offset 17
                0x00, 0x00);                        // will payload, empty
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "MQTT-4.7.0-1", 17);
    }

    // ---------------------------------------------------------------- properties

    @Test
    void decode_connect_property_not_allowed() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x03,                               // property length 3      offset 12
                0x23, 0x00, 0x01),                  // topic alias: a PUBLISH property   offset 13
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.2", 13);
    }

    @Test
    void decode_connect_duplicated_property() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x0A,                               // property length 10
                0x11, 0x00, 0x00, 0x00, 0x01,       // session expiry interval 1   offset 13
                0x11, 0x00, 0x00, 0x00, 0x02),      // session expiry interval 2   offset 18
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "§2.2.2.2", 18);
    }

    @Test
    void decode_connect_receive_maximum_0() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x03, 0x21, 0x00, 0x00),            // receive maximum 0   offset 13
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "§3.1.2.11.3", 13);
    }

    @Test
    void decode_connect_maximum_packet_size_0() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x05, 0x27, 0x00, 0x00, 0x00, 0x00), // maximum packet size 0
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "§3.1.2.11.4", 13);
    }

    @Test
    void decode_connect_request_problem_information_2() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x02, 0x17, 0x02),                  // request problem information 2
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "§2.2.2.2", 13);
    }

    @Test
    void decode_connect_will_property_not_allowed() {
        byte[] b = bytes(
                0x10, 0x18,
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,
                0x06,                               // will, clean start
                0x00, 0x00,
                0x00,                               // property length 0
                0x00, 0x01, 'c',                    // client id
                0x05,                               // will property length 5     offset 16
                0x11, 0x00, 0x00, 0x00, 0x01,       // session expiry: not a will property   offset 17
                0x00, 0x01, 'w', 0x00, 0x00);
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.2", 17);
    }

    @Test
    void decode_connect_property_length_not_minimal() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x80, 0x00),                        // property length 0 in two bytes   offset 12
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "MQTT-1.5.5-1", 12);
    }

    @Test
    void decode_connect_property_length_past_the_packet_end() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x40),                              // property length 64        offset 12
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.1", 12);
    }

    @Test
    void decode_connect_property_value_past_the_property_length() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x02, 0x11, 0x00, 0x00),            // property length 2, but session expiry needs 5
                bytes(0x00, 0x01, 'c')));
        Malformed m = malformedFromClient(V5, b);
        assertMalformed(m, V5, 0x81, "§2.2.2.2", 14);
    }

    @Test
    void decode_connect_unknown_property_identifier() {
        byte[] b = RawPacket.withBody(MINIMAL_5, cat(bytes(
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                0x02, 0x04, 0x00),                  // 0x04 is no property
                bytes(0x00, 0x01, 'c')));
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.2", 13);
    }
}
