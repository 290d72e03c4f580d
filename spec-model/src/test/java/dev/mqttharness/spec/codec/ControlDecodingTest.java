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
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PINGREQ (§3.12), PINGRESP (§3.13), DISCONNECT (§3.14), AUTH (§3.15). */
class ControlDecodingTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_pingreq_and_pingresp(MqttVersion v) {
        assertThat(decodedFromClient(v, bytes(0xC0, 0x00))).isEqualTo(Pingreq.INSTANCE); // PINGREQ, Remaining Length 0
        assertThat(decodedFromServer(v, bytes(0xD0, 0x00))).isEqualTo(Pingresp.INSTANCE); // PINGRESP, Remaining Length 0
        assertThat(MqttEncoder.encode(Pingreq.INSTANCE, v)).containsExactly(0xC0, 0x00);
        assertThat(MqttEncoder.encode(Pingresp.INSTANCE, v)).containsExactly(0xD0, 0x00);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_pingreq_remaining_length_not_0(MqttVersion v) {
        Malformed m = malformedFromClient(v, bytes(0xC0, 0x01, 0x00));
        assertMalformed(m, v, 0x81, "§3.12.1", 2);
        assertThat(m.statements()).contains(v.isV5() ? "§2.1.4" : "§2.2.3");
        assertMalformed(malformedFromServer(v, bytes(0xD0, 0x02, 0x00, 0x00)), v, 0x81, "§3.13.1", 2);
    }

    // ---------------------------------------------------------------- DISCONNECT

    @Test
    void decode_disconnect_3_1_1() {
        assertThat(decodedFromClient(V3_1_1, bytes(0xE0, 0x00))).isEqualTo(Disconnect.NORMAL);
        assertThat(MqttEncoder.encode(Disconnect.NORMAL, V3_1_1)).containsExactly(0xE0, 0x00);
    }

    @Test
    void decode_disconnect_3_1_1_remaining_length_not_0() {
        assertMalformed(malformedFromClient(V3_1_1, bytes(0xE0, 0x01, 0x00)), V3_1_1, 0x81, "§3.14.1", 2);
    }

    @Test
    void decode_disconnect_5_0_forms() {
        // no variable header: normal disconnection
        assertThat(decodedFromClient(V5, bytes(0xE0, 0x00))).isEqualTo(Disconnect.NORMAL);
        // reason code only
        assertThat(decodedFromClient(V5, bytes(0xE0, 0x01, 0x04))).isEqualTo(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
        // reason code and properties, from the client
        byte[] b = bytes(
                0xE0, 0x0B,                             // DISCONNECT, Remaining Length 11
                0x04,                                   // disconnect with will message
                0x09,                                   // property length 9
                0x11, 0x00, 0x00, 0x00, 0x00,           //   session expiry interval 0
                0x1F, 0x00, 0x01, 'b');                 //   reason string "b"
        Disconnect expected = new Disconnect(0x04, Properties.builder()
                .number(PropertyId.SESSION_EXPIRY_INTERVAL, 0).string(PropertyId.REASON_STRING, "b").build());
        assertThat(decodedFromClient(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_disconnect_5_0_from_server_with_server_reference() {
        byte[] b = bytes(
                0xE0, 0x06,                             // DISCONNECT, Remaining Length 6
                0x9C,                                   // use another server
                0x04, 0x1C, 0x00, 0x01, 'h');           // property length 4: server reference "h"
        Disconnect expected = new Disconnect(0x9C, Properties.builder().string(PropertyId.SERVER_REFERENCE, "h").build());
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
    }

    @Test
    void decode_disconnect_5_0_reason_code_not_defined() {
        assertMalformed(malformedFromClient(V5, bytes(0xE0, 0x01, 0x01)), V5, 0x81, "MQTT-3.14.2-1", 2);
    }

    @Test
    void decode_disconnect_5_0_session_expiry_from_server() {
        byte[] b = bytes(0xE0, 0x07, 0x00, 0x05, 0x11, 0x00, 0x00, 0x00, 0x01);
        assertThat(decodedFromClient(V5, b)).isNotNull();
        assertMalformed(malformedFromServer(V5, b), V5, 0x82, "MQTT-3.14.2-2", 9);
    }

    @Test
    void decode_disconnect_5_0_property_not_allowed() {
        assertMalformed(malformedFromClient(V5, bytes(0xE0, 0x05, 0x00, 0x03, 0x21, 0x00, 0x01)), V5, 0x81, "§2.2.2.2", 4);
    }

    // ---------------------------------------------------------------- AUTH

    @Test
    void decode_auth_5_0_forms() {
        assertThat(decodedFromClient(V5, bytes(0xF0, 0x00))).isEqualTo(new Auth(0, Properties.EMPTY));
        byte[] b = bytes(
                0xF0, 0x0C,                             // AUTH, Remaining Length 12
                0x18,                                   // continue authentication
                0x0A,                                   // property length 10
                0x15, 0x00, 0x03, 'S', 'C', 'R',        //   authentication method "SCR"
                0x16, 0x00, 0x01, 0x05);                //   authentication data 05
        Auth expected = new Auth(0x18, Properties.builder().string(PropertyId.AUTHENTICATION_METHOD, "SCR")
                .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.of(new byte[] {5})).build());
        assertThat(decodedFromClient(V5, b)).isEqualTo(expected);
        assertThat(decodedFromServer(V5, b)).isEqualTo(expected);
        assertThat(MqttEncoder.encode(expected, V5)).isEqualTo(b);
    }

    @Test
    void decode_auth_5_0_reason_code_not_defined() {
        assertMalformed(malformedFromServer(V5, bytes(0xF0, 0x01, 0x87)), V5, 0x81, "MQTT-3.15.2-1", 2);
    }

    @Test
    void decode_auth_5_0_property_not_allowed() {
        assertMalformed(malformedFromClient(V5, bytes(0xF0, 0x04, 0x19, 0x02, 0x01, 0x00)), V5, 0x81, "§2.2.2.2", 4);
    }
}
