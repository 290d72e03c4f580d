package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.VariableByteInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict encoder, the unchecked encoder, and the raw writer. */
class EncoderTest {

    static void assertRefused(Packet p, MqttVersion v, String statement) {
        assertThatThrownBy(() -> MqttEncoder.encode(p, v))
                .isInstanceOf(InvalidPacketException.class)
                .satisfies(e -> assertThat(((InvalidPacketException) e).violations())
                        .flatExtracting(Violation::statements).contains(statement))
                .hasMessageContaining(statement);
    }

    @Test
    void encode_publish_qos_0_with_dup_refused() {
        Publish p = Publish.qos0("t", "x").withDup(true);
        assertRefused(p, V3_1_1, "MQTT-3.3.1-2");
        assertRefused(p, V5, "MQTT-3.3.1-2");
        assertThat(MqttEncoder.encodeUnchecked(p, V3_1_1)).containsExactly(0x38, 0x04, 0x00, 0x01, 't', 'x');
    }

    @Test
    void encode_publish_wildcard_topic_refused_but_written_unchecked() {
        Publish p = Publish.qos0("t", "x").withTopic(TopicName.unchecked("a/#"));
        assertRefused(p, V3_1_1, "MQTT-3.3.2-2");
        assertThat(MqttEncoder.encodeUnchecked(p, V3_1_1)).containsExactly(0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 'x');
    }

    @Test
    void encode_publish_packet_identifier_rules() {
        assertRefused(Publish.of("t", "x", QoS.AT_LEAST_ONCE, 0, false), V5, "MQTT-2.2.1-3");
        assertRefused(Publish.qos0("t", "x").withPacketId(5), V3_1_1, "MQTT-2.3.1-5");
        assertRefused(Publish.of("t", "x", QoS.AT_LEAST_ONCE, 0x10000, false), V3_1_1, "MQTT-2.3.1-1");
    }

    @Test
    void encode_publish_empty_topic_needs_a_topic_alias() {
        Publish p = Publish.qos0("t", "x").withTopic(TopicName.EMPTY);
        assertRefused(p, V5, "MQTT-4.7.3-1");
        assertThat(MqttEncoder.encode(p.withProperties(Properties.builder().number(PropertyId.TOPIC_ALIAS, 1).build()), V5))
                .containsExactly(0x30, 0x07, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, 'x');
    }

    @Test
    void encode_properties_in_3_1_1_refused() {
        Publish p = Publish.qos0("t", "x").withProperties(Properties.builder().userProperty("k", "v").build());
        assertRefused(p, V3_1_1, "§2.2");
        // unchecked, 3.1.1 has no place for them: they are not written
        assertThat(MqttEncoder.encodeUnchecked(p, V3_1_1)).isEqualTo(MqttEncoder.encode(Publish.qos0("t", "x"), V3_1_1));
    }

    @Test
    void encode_auth_in_3_1_1_refused() {
        assertRefused(new Auth(0, Properties.EMPTY), V3_1_1, "§2.2.1");
    }

    @Test
    void encode_property_not_allowed_and_duplicated_refused() {
        Publish notAllowed = Publish.qos0("t", "x").withProperties(
                Properties.builder().number(PropertyId.SESSION_EXPIRY_INTERVAL, 1).build());
        assertRefused(notAllowed, V5, "§2.2.2.2");
        Publish duplicated = Publish.qos0("t", "x").withProperties(Properties.builder()
                .number(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1).number(PropertyId.MESSAGE_EXPIRY_INTERVAL, 2).build());
        assertRefused(duplicated, V5, "§2.2.2.2");
        assertThat(MqttEncoder.encodeUnchecked(duplicated, V5)).containsExactly(
                0x30, 0x0F, 0x00, 0x01, 't',
                0x0A, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x02,
                'x');
    }

    @Test
    void encode_property_value_out_of_range_refused() {
        Connect c = Connect.builder(V5).clientId("c")
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.RECEIVE_MAXIMUM, 0x10000)).build();
        assertRefused(c, V5, "§2.2.2.2");
    }

    @Test
    void encode_connect_rules() {
        Connect passwordOnly = Connect.builder(V3_1_1).clientId("c").password("p").build();
        assertRefused(passwordOnly, V3_1_1, "MQTT-3.1.2-22");
        // 5.0 allows a password without a user name
        assertThat(MqttEncoder.encode(Connect.builder(V5).clientId("c").password("p").build(), V5)).isNotEmpty();
        assertRefused(Connect.builder(V3_1_1).clientId(dev.mqttharness.spec.packet.Utf8String.unchecked("c\u0000")).build(),
                V3_1_1, "MQTT-3.1.3-4");
    }

    @Test
    void encode_connect_for_another_version_refused() {
        assertRefused(Connect.builder(V5).clientId("c").build(), V3_1_1, "§3.1.2.2");
    }

    @Test
    void encode_subscribe_rules() {
        assertRefused(new Subscribe(1, Properties.EMPTY, List.of()), V3_1_1, "MQTT-3.8.3-3");
        assertRefused(new Subscribe(1, Properties.EMPTY, List.of()), V5, "MQTT-3.8.3-2");
        assertRefused(new Subscribe(0, Properties.EMPTY, List.of(TopicSubscription.of("a", QoS.AT_MOST_ONCE))), V5, "MQTT-2.2.1-3");
        assertRefused(new Subscribe(1, Properties.EMPTY, List.of(TopicSubscription.of("a", QoS.AT_MOST_ONCE).withNoLocal(true))),
                V3_1_1, "MQTT-3.8.3-4");
        assertRefused(new Subscribe(1, Properties.EMPTY, List.of(TopicSubscription.of("a", QoS.AT_MOST_ONCE).withRetainHandling(3))),
                V5, "§3.8.3.1");
    }

    @Test
    void encode_connack_rules() {
        assertRefused(new Connack(true, 5, Properties.EMPTY), V3_1_1, "MQTT-3.2.2-4");
        assertRefused(new Connack(false, 6, Properties.EMPTY), V3_1_1, "§3.2.2.3");
        assertRefused(new Connack(false, 0x01, Properties.EMPTY), V5, "MQTT-3.2.2-8");
    }

    @Test
    void encode_size_matches_the_bytes() {
        Publish p = new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of("t"), 1, Properties.EMPTY,
                BinaryData.wrap(new byte[200]));
        byte[] b = MqttEncoder.encode(p, V3_1_1);
        assertThat(MqttEncoder.size(p, V3_1_1)).isEqualTo(b.length).isEqualTo(1 + 2 + 2 + 1 + 2 + 200);
        assertThat(b[1] & 0xFF).isEqualTo(0x80 | (205 & 0x7F));
        assertThat(b[2]).isEqualTo((byte) 1);
    }

    // ---------------------------------------------------------------- raw writer

    @Test
    void raw_packet_writes_any_type_flags_and_body() {
        assertThat(RawPacket.ofTypeCode(0).toBytes()).containsExactly(0x00, 0x00);
        assertThat(RawPacket.of(PacketType.SUBSCRIBE).toBytes()).containsExactly(0x82, 0x00);
        assertThat(RawPacket.of(PacketType.PUBLISH).toBytes()).containsExactly(0x30, 0x00);
        assertThat(RawPacket.of(PacketType.SUBSCRIBE).flags(0).body(new ByteWriter().u16(1).utf8("a").u8(0)).toBytes())
                .containsExactly(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00);
        assertThat(RawPacket.ofTypeCode(0x1F).flags(0xFF).toBytes()).containsExactly(0xFF, 0x00);
    }

    @Test
    void raw_packet_writes_lying_and_padded_remaining_lengths() {
        assertThat(RawPacket.of(PacketType.PINGREQ).remainingLength(5).toBytes()).containsExactly(0xC0, 0x05);
        assertThat(RawPacket.of(PacketType.PINGREQ).remainingLengthBytes(2).toBytes()).containsExactly(0xC0, 0x80, 0x00);
        assertThat(RawPacket.of(PacketType.PINGREQ).remainingLengthBytes(5).toBytes())
                .containsExactly(0xC0, 0x80, 0x80, 0x80, 0x80, 0x00);
        assertThat(RawPacket.of(PacketType.PUBLISH).remainingLength(VariableByteInteger.MAX_VALUE).toBytes())
                .containsExactly(0x30, 0xFF, 0xFF, 0xFF, 0x7F);
        assertThat(RawPacket.of(PacketType.PUBLISH).body(new byte[130]).toBytes()).startsWith(0x30, 0x82, 0x01);
    }

    @Test
    void raw_packet_mutations_of_an_encoded_packet() {
        byte[] p = MqttEncoder.encode(Publish.qos0("t", "x"), V3_1_1); // 30 04 00 01 74 78
        assertThat(RawPacket.withFlags(p, 0x06)).containsExactly(0x36, 0x04, 0x00, 0x01, 't', 'x');
        assertThat(RawPacket.bodyOffset(p)).isEqualTo(2);
        assertThat(RawPacket.bodyOf(p)).containsExactly(0x00, 0x01, 't', 'x');
        assertThat(RawPacket.withBody(p, bytes(0x00, 0x01, 'u'))).containsExactly(0x30, 0x03, 0x00, 0x01, 'u');
        assertThat(RawPacket.withTrailingBytes(p, bytes(0xAA))).containsExactly(0x30, 0x05, 0x00, 0x01, 't', 'x', 0xAA);
        assertThat(RawPacket.withBodyByte(p, 2, 'z')).containsExactly(0x30, 0x04, 0x00, 0x01, 'z', 'x');
        assertThat(p).containsExactly(0x30, 0x04, 0x00, 0x01, 't', 'x'); // unchanged
    }

    @Test
    void byte_writer_writes_mqtt_data_types_as_asked() {
        byte[] b = new ByteWriter(1)
                .u8(0x1FF)                      // low byte only
                .u16(0x1234)
                .u32(0xDEADBEEFL)
                .vbi(321)                       // C1 02
                .vbiPadded(1, 3)                // 81 80 00
                .utf8("é")                      // 00 02 C3 A9
                .utf8("\uD800")                 // a lone surrogate, written as is: 00 03 ED A0 80
                .lengthPrefixed(bytes(0xFF))    // 00 01 FF
                .bytes(BinaryData.of("ab"))
                .bytes(bytes(1, 2, 3), 1, 2)
                .toByteArray();
        assertThat(b).containsExactly(
                0xFF, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF,
                0xC1, 0x02, 0x81, 0x80, 0x00,
                0x00, 0x02, 0xC3, 0xA9,
                0x00, 0x03, 0xED, 0xA0, 0x80,
                0x00, 0x01, 0xFF,
                'a', 'b', 2, 3);
    }

    @Test
    void variable_byte_integer_boundaries() {
        int[][] cases = {{0, 1}, {127, 1}, {128, 2}, {16_383, 2}, {16_384, 3}, {2_097_151, 3}, {2_097_152, 4},
                {VariableByteInteger.MAX_VALUE, 4}};
        for (int[] c : cases) {
            assertThat(VariableByteInteger.size(c[0])).isEqualTo(c[1]);
            assertThat(VariableByteInteger.encode(c[0])).hasSize(c[1]);
        }
        assertThat(VariableByteInteger.encode(16_384)).containsExactly(0x80, 0x80, 0x01);
        assertThatThrownBy(() -> VariableByteInteger.size(VariableByteInteger.MAX_VALUE + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VariableByteInteger.size(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
