package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.assertMalformed;
import static dev.mqttharness.spec.codec.Wire.bytes;
import static dev.mqttharness.spec.codec.Wire.decodedFromClient;
import static dev.mqttharness.spec.codec.Wire.malformedFromClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsubscribe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SUBSCRIBE (§3.8) and UNSUBSCRIBE (§3.10), and the Topic Filter rules (§4.7, §4.8.2). */
class SubscriptionDecodingTest {

    /** A SUBSCRIBE with packet identifier 1 and one filter with this options byte. */
    static byte[] subscribe(MqttVersion v, String filter, int options) {
        ByteWriter w = new ByteWriter().u16(1);
        if (v.isV5()) {
            w.u8(0);
        }
        return RawPacket.of(PacketType.SUBSCRIBE).body(w.utf8(filter).u8(options)).toBytes();
    }

    static byte[] unsubscribe(MqttVersion v, String filter) {
        ByteWriter w = new ByteWriter().u16(1);
        if (v.isV5()) {
            w.u8(0);
        }
        return RawPacket.of(PacketType.UNSUBSCRIBE).body(w.utf8(filter)).toBytes();
    }

    /** Offset of the first filter's length field. */
    static int filterAt(MqttVersion v) {
        return v.isV5() ? 5 : 4;
    }

    @Test
    void decode_subscribe_3_1_1() {
        byte[] b = bytes(
                0x82, 0x0E,                     // SUBSCRIBE, Remaining Length 14
                0x00, 0x0A,                     // packet identifier 10
                0x00, 0x03, 'a', '/', '#',      // filter "a/#"
                0x02,                           //   requested QoS 2
                0x00, 0x03, '+', '/', 'b',      // filter "+/b"
                0x00);                          //   requested QoS 0
        Subscribe expected = new Subscribe(10, Properties.EMPTY, List.of(
                TopicSubscription.of("a/#", QoS.EXACTLY_ONCE), TopicSubscription.of("+/b", QoS.AT_MOST_ONCE)));
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_subscribe_5_0_with_options_and_properties() {
        byte[] exact = bytes(
                0x82, 0x1E,                     // SUBSCRIBE, Remaining Length 30
                0x00, 0x0B,                     // packet identifier 11
                0x0A,                           // property length 10
                0x0B, 0x81, 0x01,               //   subscription identifier 129
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', //   user property k=v
                0x00, 0x01, 'a',                // filter "a"
                0x2D,                           //   QoS 1 | no local | retain as published | retain handling 2
                0x00, 0x0A, '$', 's', 'h', 'a', 'r', 'e', '/', 'g', '/', 'b', // filter "$share/g/b"
                0x12);                          //   QoS 2, retain handling 1
        Subscribe expected = new Subscribe(11,
                Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 129).userProperty("k", "v").build(),
                List.of(new TopicSubscription(TopicFilter.of("a"), QoS.AT_LEAST_ONCE, true, true, 2),
                        new TopicSubscription(TopicFilter.of("$share/g/b"), QoS.EXACTLY_ONCE, false, false, 1)));
        assertThat(decodedFromClient(V5, exact)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(exact);
    }

    @Test
    void decode_subscribe_without_filters() {
        assertMalformed(malformedFromClient(V3_1_1, bytes(0x82, 0x02, 0x00, 0x01)), V3_1_1, 0x81, "MQTT-3.8.3-3", 4);
        assertMalformed(malformedFromClient(V5, bytes(0x82, 0x03, 0x00, 0x01, 0x00)), V5, 0x82, "MQTT-3.8.3-2", 5);
    }

    @Test
    void decode_subscribe_packet_identifier_0() {
        byte[] b = RawPacket.withBodyByte(subscribe(V3_1_1, "a", 0), 1, 0);
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-2.3.1-1", 2);
        assertMalformed(malformedFromClient(V5, RawPacket.withBodyByte(subscribe(V5, "a", 0), 1, 0)), V5, 0x81, "MQTT-2.2.1-3", 2);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_subscribe_empty_topic_filter(MqttVersion v) {
        assertMalformed(malformedFromClient(v, subscribe(v, "", 0)), v, 0x81, "MQTT-4.7.3-1", filterAt(v));
        assertMalformed(malformedFromClient(v, unsubscribe(v, "")), v, 0x81, "MQTT-4.7.3-1", filterAt(v));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_subscribe_multi_level_wildcard_misplaced(MqttVersion v) {
        for (String f : new String[] {"a/#/b", "a#", "#/", "##", "a/b#"}) {
            assertMalformed(malformedFromClient(v, subscribe(v, f, 0)), v, 0x81, v.isV5() ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2", filterAt(v));
            assertMalformed(malformedFromClient(v, unsubscribe(v, f)), v, 0x81, v.isV5() ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2", filterAt(v));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_subscribe_single_level_wildcard_misplaced(MqttVersion v) {
        for (String f : new String[] {"a+", "+a", "a/+b/c", "++"}) {
            assertMalformed(malformedFromClient(v, subscribe(v, f, 0)), v, 0x81, v.isV5() ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3", filterAt(v));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_subscribe_valid_wildcards(MqttVersion v) {
        for (String f : new String[] {"#", "+", "+/+", "a/+/#", "/", "//", "+/", "$SYS/#", "a b/c"}) {
            Subscribe s = (Subscribe) decodedFromClient(v, subscribe(v, f, 1));
            assertThat(s.subscriptions().get(0).filter().toString()).isEqualTo(f);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_subscribe_filter_ill_formed_utf8(MqttVersion v) {
        byte[] b = RawPacket.withBodyByte(subscribe(v, "ab", 0), filterAt(v) - 2 + 3, 0xFF); // second filter byte
        Malformed m = malformedFromClient(v, b);
        assertMalformed(m, v, 0x81, v.isV5() ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1", filterAt(v) + 3);
        assertThat(m.statements()).contains("MQTT-3.8.3-1");
    }

    @Test
    void decode_subscribe_3_1_1_requested_qos_3_or_reserved_bits() {
        for (int options : new int[] {0x03, 0x04, 0x80, 0x21}) {
            assertMalformed(malformedFromClient(V3_1_1, subscribe(V3_1_1, "a", options)), V3_1_1, 0x81, "MQTT-3.8.3-4", 7);
        }
    }

    @Test
    void decode_subscribe_5_0_options_reserved_bits() {
        assertMalformed(malformedFromClient(V5, subscribe(V5, "a", 0x40)), V5, 0x81, "MQTT-3.8.3-5", 8);
        assertMalformed(malformedFromClient(V5, subscribe(V5, "a", 0x80)), V5, 0x81, "MQTT-3.8.3-5", 8);
    }

    @Test
    void decode_subscribe_5_0_qos_3() {
        assertMalformed(malformedFromClient(V5, subscribe(V5, "a", 0x03)), V5, 0x81, "§3.8.3.1", 8);
    }

    @Test
    void decode_subscribe_5_0_retain_handling_3() {
        assertMalformed(malformedFromClient(V5, subscribe(V5, "a", 0x30)), V5, 0x82, "§3.8.3.1", 8);
    }

    @Test
    void decode_subscribe_5_0_no_local_on_shared_subscription() {
        byte[] b = subscribe(V5, "$share/g/a", 0x04);
        assertMalformed(malformedFromClient(V5, b), V5, 0x82, "MQTT-3.8.3-4", 17);
    }

    @Test
    void decode_subscribe_5_0_shared_subscription_malformed() {
        for (String f : new String[] {"$share/g", "$share//a", "$share/g+/a", "$share/g/"}) {
            assertMalformed(malformedFromClient(V5, subscribe(V5, f, 0)), V5, 0x82, "MQTT-4.8.2-1", 5);
        }
        // in 3.1.1 "$share/g" is an ordinary filter
        assertThat(decodedFromClient(V3_1_1, subscribe(V3_1_1, "$share/g", 0))).isNotNull();
    }

    @Test
    void decode_subscribe_5_0_subscription_identifier_0_or_repeated() {
        byte[] zero = bytes(0x82, 0x08, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, 'a', 0x00);
        assertMalformed(malformedFromClient(V5, zero), V5, 0x82, "§3.8.2.1.2", 5);
        byte[] twice = bytes(0x82, 0x0A, 0x00, 0x01, 0x04, 0x0B, 0x01, 0x0B, 0x02, 0x00, 0x01, 'a', 0x00);
        assertMalformed(malformedFromClient(V5, twice), V5, 0x82, "§2.2.2.2", 7);
    }

    @Test
    void decode_subscribe_missing_options_byte() {
        byte[] b = bytes(0x82, 0x05, 0x00, 0x01, 0x00, 0x01, 'a');
        assertMalformed(malformedFromClient(V3_1_1, b), V3_1_1, 0x81, "MQTT-3.8.3-4", 7);
    }

    // ---------------------------------------------------------------- UNSUBSCRIBE

    @Test
    void decode_unsubscribe_3_1_1() {
        byte[] b = bytes(
                0xA2, 0x09,                     // UNSUBSCRIBE, Remaining Length 9
                0x00, 0x0C,                     // packet identifier 12
                0x00, 0x01, 'a',                // filter "a"
                0x00, 0x02, '+', '/');          // filter "+/"
        Unsubscribe expected = Unsubscribe.of(12, "a", "+/");
        assertThat(decodedFromClient(V3_1_1, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V3_1_1)).isEqualTo(b);
    }

    @Test
    void decode_unsubscribe_5_0_with_user_property() {
        byte[] b = bytes(
                0xA2, 0x0D,                     // UNSUBSCRIBE, Remaining Length 13
                0x00, 0x0C,                     // packet identifier 12
                0x07, 0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // property length 7: user property k=v
                0x00, 0x01, '#');               // filter "#"
        Unsubscribe expected = new Unsubscribe(12, Properties.builder().userProperty("k", "v").build(),
                List.of(TopicFilter.of("#")));
        assertThat(decodedFromClient(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_unsubscribe_without_filters() {
        assertMalformed(malformedFromClient(V3_1_1, bytes(0xA2, 0x02, 0x00, 0x01)), V3_1_1, 0x81, "MQTT-3.10.3-2", 4);
        assertMalformed(malformedFromClient(V5, bytes(0xA2, 0x03, 0x00, 0x01, 0x00)), V5, 0x82, "MQTT-3.10.3-2", 5);
    }

    @Test
    void decode_unsubscribe_packet_identifier_0() {
        assertMalformed(malformedFromClient(V3_1_1, RawPacket.withBodyByte(unsubscribe(V3_1_1, "a"), 1, 0)), V3_1_1, 0x81, "MQTT-2.3.1-1", 2);
    }

    @Test
    void decode_unsubscribe_property_not_allowed() {
        byte[] b = bytes(0xA2, 0x08, 0x00, 0x01, 0x02, 0x0B, 0x01, 0x00, 0x01, 'a'); // subscription identifier
        assertMalformed(malformedFromClient(V5, b), V5, 0x81, "§2.2.2.2", 5);
    }
}
