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

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** PUBLISH (§3.3), and the UTF-8 and Topic Name rules its topic exercises. */
class PublishDecodingTest {

    static String utf8Rule(MqttVersion v) {
        return v.isV5() ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1";
    }

    static String nullRule(MqttVersion v) {
        return v.isV5() ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2";
    }

    /** A QoS 0 PUBLISH with this topic's bytes and payload "p" in the version's layout. */
    static byte[] publishWithTopic(MqttVersion v, int... topic) {
        ByteWriter w = new ByteWriter().u16(topic.length).bytes(bytes(topic));
        if (v.isV5()) {
            w.u8(0); // property length 0
        }
        return RawPacket.of(dev.mqttharness.spec.packet.PacketType.PUBLISH).body(w.u8('p')).toBytes();
    }

    @Test
    void decode_publish_3_1_1_qos_0() {
        byte[] b = bytes(
                0x30, 0x07,                     // PUBLISH QoS 0, Remaining Length 7
                0x00, 0x03, 'a', '/', 'b',      // topic "a/b"
                'h', 'i');                      // payload "hi"
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(Publish.qos0("a/b", "hi"));
        assertThat(decodedFromServer(V3_1_1, b)).isEqualTo(Publish.qos0("a/b", "hi"));
    }

    @Test
    void decode_publish_3_1_1_qos_2_dup_retain() {
        byte[] b = bytes(
                0x3D, 0x06,                     // PUBLISH DUP, QoS 2, RETAIN; Remaining Length 6
                0x00, 0x01, 't',                // topic "t"
                0x12, 0x34,                     // packet identifier 0x1234
                'x');                           // payload "x"
        Publish expected = new Publish(true, QoS.EXACTLY_ONCE, true, TopicName.of("t"), 0x1234, Properties.EMPTY,
                BinaryData.of("x"));
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_publish_3_1_1_empty_payload() {
        byte[] b = bytes(0x32, 0x05, 0x00, 0x01, 't', 0x00, 0x01); // QoS 1, id 1, no payload
        Publish p = (Publish) decodedFromClient(V3_1_1, b);
        assertThat(p.payload().isEmpty()).isTrue();
        assertThat(p.packetId()).isEqualTo(1);
    }

    @Test
    void decode_publish_5_0_from_server_with_every_publish_property() {
        byte[] b = bytes(
                0x33, 0x30,                         // PUBLISH QoS 1, RETAIN; Remaining Length 48
                0x00, 0x01, 't',                    // topic "t"
                0x00, 0x0A,                         // packet identifier 10
                0x28,                               // property length 40
                0x01, 0x01,                         //   payload format indicator 1
                0x02, 0x00, 0x00, 0x00, 0x3C,       //   message expiry interval 60
                0x23, 0x00, 0x02,                   //   topic alias 2
                0x08, 0x00, 0x03, 'r', '/', 's',    //   response topic "r/s"
                0x09, 0x00, 0x02, 0x0C, 0x0D,       //   correlation data 0C 0D
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // user property k=v
                0x0B, 0x05,                         //   subscription identifier 5
                0x0B, 0x80, 0x01,                   //   subscription identifier 128
                0x03, 0x00, 0x04, 'j', 's', 'o', 'n', // content type "json"
                '{', '}');                          // payload "{}"
        Properties props = Properties.builder()
                .number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .number(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60)
                .number(PropertyId.TOPIC_ALIAS, 2)
                .string(PropertyId.RESPONSE_TOPIC, "r/s")
                .binary(PropertyId.CORRELATION_DATA, BinaryData.of(new byte[] {0x0C, 0x0D}))
                .userProperty("k", "v")
                .number(PropertyId.SUBSCRIPTION_IDENTIFIER, 5)
                .number(PropertyId.SUBSCRIPTION_IDENTIFIER, 128)
                .string(PropertyId.CONTENT_TYPE, "json")
                .build();
        Publish expected = new Publish(false, QoS.AT_LEAST_ONCE, true, TopicName.of("t"), 10, props, BinaryData.of("{}"));
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_publish_5_0_empty_topic_with_topic_alias() {
        byte[] b = bytes(
                0x30, 0x07,                     // PUBLISH QoS 0, Remaining Length 7
                0x00, 0x00,                     // topic "" (the alias stands for it)
                0x03, 0x23, 0x00, 0x01,         // property length 3: topic alias 1
                'p');
        Publish p = (Publish) decodedFromClient(V5, b);
        assertThat(p.topic()).isEqualTo(TopicName.EMPTY);
        assertThat(p.properties().number(PropertyId.TOPIC_ALIAS, 0)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- fixed header flags

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_publish_qos_3(MqttVersion v) {
        byte[] b = RawPacket.withFlags(publishWithTopic(v, 't'), 0x06);
        assertMalformed(malformedFromClient(v, b), v, 0x81, "MQTT-3.3.1-4", 0);
        assertMalformed(malformedFromServer(v, b), v, 0x81, "MQTT-3.3.1-4", 0);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_publish_dup_with_qos_0(MqttVersion v) {
        byte[] b = RawPacket.withFlags(publishWithTopic(v, 't'), 0x08);
        assertMalformed(malformedFromClient(v, b), v, 0x81, "MQTT-3.3.1-2", 0);
    }

    // ---------------------------------------------------------------- packet identifier

    @Test
    void decode_publish_packet_identifier_0() {
        byte[] b311 = bytes(0x32, 0x06, 0x00, 0x01, 't', 0x00, 0x00, 'p'); // QoS 1, id 0 at offset 5
        assertMalformed(malformedFromClient(V3_1_1, b311), V3_1_1, 0x81, "MQTT-2.3.1-1", 5);
        byte[] b5 = bytes(0x34, 0x07, 0x00, 0x01, 't', 0x00, 0x00, 0x00, 'p'); // QoS 2, id 0
        assertMalformed(malformedFromClient(V5, b5), V5, 0x81, "MQTT-2.2.1-3", 5);
        assertMalformed(malformedFromServer(V5, b5), V5, 0x81, "MQTT-2.2.1-4", 5);
    }

    // ---------------------------------------------------------------- topic name

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_publish_wildcard_in_topic_name(MqttVersion v) {
        for (int[] topic : new int[][] {{'a', '/', '+'}, {'#'}, {'a', '#', 'b'}, {'+'}}) {
            Malformed m = malformedFromClient(v, publishWithTopic(v, topic));
            assertMalformed(m, v, 0x81, v.isV5() ? "MQTT-4.7.0-1" : "MQTT-4.7.1-1", 2);
            assertThat(m.statements()).contains("MQTT-3.3.2-2");
        }
    }

    @Test
    void decode_publish_empty_topic_name() {
        assertMalformed(malformedFromClient(V3_1_1, publishWithTopic(V3_1_1)), V3_1_1, 0x81, "MQTT-4.7.3-1", 2);
        // 5.0: empty is allowed only with a Topic Alias
        assertMalformed(malformedFromClient(V5, publishWithTopic(V5)), V5, 0x82, "MQTT-4.7.3-1", 2);
    }

    @Test
    void decode_publish_topic_length_past_the_packet_end() {
        byte[] b = bytes(0x30, 0x03, 0x00, 0x05, 't'); // 5 bytes announced, 1 present from offset 4
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-3.3.2-1", 4);
    }

    // ---------------------------------------------------------------- UTF-8 (1.5.3 in 3.1.1, 1.5.4 in 5.0)

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_utf8_ill_formed(MqttVersion v) {
        int[][] cases = {
                {'a', 0xC3, '('},           // lead byte then a non-continuation
                {'a', 0x80},                // lone continuation byte
                {'a', 0xC0, 0xAF},          // overlong '/'
                {'a', 0xE0, 0x80, 0xAF},    // overlong 3-byte
                {'a', 0xF0, 0x80, 0x80, 0xAF}, // overlong 4-byte
                {'a', 0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
                {'a', 0xFF},                // never valid
                {'a', 0xE2, 0x82}};         // truncated at the string's end
        for (int[] topic : cases) {
            Malformed m = malformedFromClient(v, publishWithTopic(v, topic));
            assertMalformed(m, v, 0x81, utf8Rule(v), 5); // the offending byte follows 'a'
            assertThat(m.statements()).contains("MQTT-3.3.2-1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_utf8_surrogate_code_point(MqttVersion v) {
        for (int[] topic : new int[][] {{'a', 0xED, 0xA0, 0x80}, {'a', 0xED, 0xBF, 0xBF}}) {
            Malformed m = malformedFromClient(v, publishWithTopic(v, topic)); // U+D800, U+DFFF
            assertMalformed(m, v, 0x81, utf8Rule(v), 5);
            assertThat(m.reason()).contains("surrogate");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_utf8_null_character(MqttVersion v) {
        Malformed m = malformedFromClient(v, publishWithTopic(v, 'a', 0x00, 'b'));
        assertMalformed(m, v, 0x81, nullRule(v), 5);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_utf8_byte_order_mark_is_kept(MqttVersion v) {
        Publish p = (Publish) decodedFromClient(v, publishWithTopic(v, 'a', 0xEF, 0xBB, 0xBF, 'b'));
        assertThat(p.topic().utf8().toBytes()).containsExactly('a', 0xEF, 0xBB, 0xBF, 'b');
        assertThat(p.topic().toString()).isEqualTo("a\uFEFFb");
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_utf8_supplementary_and_non_ascii_accepted(MqttVersion v) {
        Publish p = (Publish) decodedFromClient(v, publishWithTopic(v, 0xF0, 0x9F, 0x98, 0x80, '/', 0xC3, 0xA9, 0xEF, 0xBF, 0xBF));
        assertThat(p.topic().toString()).isEqualTo("\uD83D\uDE00/\u00E9\uFFFF");
    }

    // ---------------------------------------------------------------- 5.0 properties

    @Test
    void decode_publish_subscription_identifier_from_client() {
        byte[] b = bytes(0x30, 0x07, 0x00, 0x01, 't', 0x02, 0x0B, 0x01, 'p'); // subscription identifier 1 at offset 6
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "MQTT-3.3.4-6", 6);
        assertThat(decodedFromServer(V5, b)).isNotNull();
    }

    @Test
    void decode_publish_topic_alias_0() {
        byte[] b = bytes(0x30, 0x08, 0x00, 0x01, 't', 0x03, 0x23, 0x00, 0x00, 'p');
        // 0x94 Topic Alias invalid: the reason code 5.0 gives a Topic Alias of 0
        assertMalformed(malformedFromClient(V5, b), V5, 0x94, "MQTT-3.3.2-8", 6);
    }

    @Test
    void decode_publish_property_not_allowed() {
        byte[] b = bytes(0x30, 0x0A, 0x00, 0x01, 't', 0x05, 0x11, 0x00, 0x00, 0x00, 0x01, 'p'); // session expiry
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.2", 6);
    }

    @Test
    void decode_publish_duplicated_property() {
        byte[] b = bytes(0x30, 0x0A, 0x00, 0x01, 't',
                0x05,
                0x23, 0x00, 0x01,               // topic alias 1       offset 6
                0x01, 0x00,                     // payload format 0    offset 9
                'p');
        assertThat(decodedFromClient(V5, b)).isNotNull();
        byte[] dup = bytes(0x30, 0x0C, 0x00, 0x01, 't',
                0x07,
                0x01, 0x00,                     // payload format 0    offset 6
                0x23, 0x00, 0x01,               // topic alias 1       offset 8
                0x01, 0x01,                     // payload format 1    offset 11
                'p');
        assertMalformed(malformedFromClient(V5, dup), V5, 0x82, "§2.2.2.2", 11);
    }

    @Test
    void decode_publish_response_topic_with_wildcard() {
        byte[] b = bytes(0x30, 0x0A, 0x00, 0x01, 't', 0x05, 0x08, 0x00, 0x02, 'a', '#', 'p');
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "MQTT-3.3.2-14", 7);
    }

    @Test
    void decode_publish_content_type_ill_formed() {
        byte[] b = bytes(0x30, 0x09, 0x00, 0x01, 't', 0x04, 0x03, 0x00, 0x01, 0xFE, 'p');
        Malformed m = malformedFromClient(V5, b);
        assertMalformed(m, V5, 0x81, "MQTT-3.3.2-19", 9);
        assertThat(m.statements()).contains("MQTT-1.5.4-1");
    }

    @Test
    void decode_publish_user_property_with_null_character() {
        byte[] b = bytes(0x30, 0x0C, 0x00, 0x01, 't', 0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 0x00, 'p');
        Malformed m = malformedFromClient(V5, b);
        assertMalformed(m, V5, 0x81, "MQTT-1.5.4-2", 12);
        assertThat(m.statements()).contains("MQTT-1.5.7-1");
    }

    @Test
    void decode_publish_payload_format_indicator_2() {
        byte[] b = bytes(0x30, 0x07, 0x00, 0x01, 't', 0x02, 0x01, 0x02, 'p');
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "§2.2.2.2", 6);
    }

    @Test
    void decode_publish_subscription_identifier_0_from_server() {
        byte[] b = bytes(0x30, 0x07, 0x00, 0x01, 't', 0x02, 0x0B, 0x00, 'p');
        assertMalformed(malformedFromServer(V5, b), V5, 0x82, "§3.8.2.1.2", 6);
    }

    @Test
    void decode_publish_property_length_past_the_packet_end() {
        byte[] b = bytes(0x30, 0x05, 0x00, 0x01, 't', 0x09, 'p');
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.1", 5);
    }

    @Test
    void decode_publish_property_identifier_not_minimal() {
        byte[] b = bytes(0x30, 0x08, 0x00, 0x01, 't', 0x03, 0x81, 0x00, 0x00, 'p'); // payload format id in two bytes
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "MQTT-1.5.5-1", 6);
    }
}
