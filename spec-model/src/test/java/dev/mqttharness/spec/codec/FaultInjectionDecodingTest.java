package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.QoS;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two decoder options that exist only so the reference broker can be switched to a wrong
 * behaviour (mutation testing): resuming after a malformed packet of known length, and not checking
 * the protocol name. Off, the decoder stays strict.
 */
class FaultInjectionDecodingTest {

    private static byte[] connect(MqttVersion v) {
        return MqttEncoder.encode(Connect.builder(v).clientId("c").build(), v);
    }

    private static byte[] ping() {
        return MqttEncoder.encode(Pingreq.INSTANCE, V5);
    }

    @Test
    void resume_passes_over_a_packet_with_bad_fixed_header_flags() {
        // SUBSCRIBE with flags 0000 instead of 0010 (MQTT-3.8.1-1), then a PINGREQ
        byte[] sub = MqttEncoder.encode(Subscribe.of(1, "a", QoS.AT_MOST_ONCE), V3_1_1);
        sub[0] = (byte) 0x80;
        byte[] stream = Wire.cat(connect(V3_1_1), sub, ping());
        List<DecodeResult> strict = Wire.serverSide(V3_1_1).feed(stream.clone());
        assertThat(strict).hasSize(2);
        assertThat(strict.get(1)).isInstanceOf(Malformed.class);

        MqttDecoder d = Wire.serverSide(V3_1_1).resumeAfterMalformed(true);
        List<DecodeResult> r = d.feed(stream.clone());
        assertThat(r).hasSize(3);
        assertThat(r.get(1)).isInstanceOf(Malformed.class);
        assertThat(((DecodeResult.Decoded) r.get(2)).packet()).isEqualTo(Pingreq.INSTANCE);
        assertThat(d.failed()).isFalse();
        assertThat(d.position()).isEqualTo(stream.length);
    }

    @Test
    void resume_passes_over_a_rejected_packet_split_across_chunks() {
        byte[] sub = MqttEncoder.encode(Subscribe.of(1, "a/b/c", QoS.AT_MOST_ONCE), V5);
        sub[0] = (byte) 0x80;
        byte[] stream = Wire.cat(connect(V5), sub, ping());
        MqttDecoder d = Wire.serverSide(V5).resumeAfterMalformed(true);
        List<DecodeResult> all = new java.util.ArrayList<>();
        for (byte x : stream) {
            d.feed(new byte[] {x}, 0, 1, all::add); // one byte at a time: the header is split too
        }
        assertThat(all).hasSize(3);
        assertThat(all.get(1)).isInstanceOf(Malformed.class);
        assertThat(((DecodeResult.Decoded) all.get(2)).packet()).isEqualTo(Pingreq.INSTANCE);
        assertThat(d.position()).isEqualTo(stream.length);
    }

    @Test
    void resume_passes_over_a_packet_whose_body_is_malformed() {
        byte[] c = connect(V5);
        byte[] bad = c.clone();
        bad[9] |= 0x01; // the CONNECT reserved flag (MQTT-3.1.2-3): fixed header 2, name 6, level 1, flags
        byte[] stream = Wire.cat(bad, c, ping());
        List<DecodeResult> r = Wire.serverSide(V5).resumeAfterMalformed(true).feed(stream);
        assertThat(r).hasSize(3);
        assertThat(((Malformed) r.get(0)).statements()).contains("MQTT-3.1.2-3");
        assertThat(((DecodeResult.Decoded) r.get(1)).packet()).isInstanceOf(Connect.class);
        assertThat(((DecodeResult.Decoded) r.get(2)).packet()).isEqualTo(Pingreq.INSTANCE);
    }

    @Test
    void any_protocol_name_takes_the_version_from_the_level() {
        byte[] c = connect(V3_1_1);
        c[6] = 'X'; // "MQTT" -> "MQTX"
        Malformed strict = Wire.malformedFromClient(V3_1_1, c.clone());
        assertThat(strict.statements()).contains("MQTT-3.1.2-1");
        List<DecodeResult> r = Wire.serverSide(V3_1_1).tolerate("MQTT-3.1.2-1").feed(c.clone());
        assertThat(((Connect) ((DecodeResult.Decoded) r.get(0)).packet()).version()).isEqualTo(V3_1_1);
    }

    @Test
    void a_tolerated_reserved_flag_is_ignored() {
        byte[] c = connect(V5);
        c[9] |= 0x01;
        assertThat(Wire.malformedFromClient(V5, c.clone()).statements()).contains("MQTT-3.1.2-3");
        List<DecodeResult> r = Wire.serverSide(V5).tolerate("MQTT-3.1.2-3").feed(c.clone());
        assertThat(((DecodeResult.Decoded) r.get(0)).packet()).isInstanceOf(Connect.class);
    }
}
