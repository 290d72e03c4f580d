package dev.mqttharness.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.PropertyId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * decode(encode(p)) == p for generated valid packets of every type in every version, and the
 * validator, the strict encoder and the decoder agree that they are valid.
 */
class RoundTripPropertyTest {
    static final int CASES = 2000;

    static Stream<Arguments> typesAndVersions() {
        List<Arguments> out = new ArrayList<>();
        for (MqttVersion v : MqttVersion.values()) {
            for (PacketType t : PacketType.values()) {
                if (t != PacketType.AUTH || v.isV5()) {
                    out.add(Arguments.of(v, t));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typesAndVersions")
    void decode_of_encode_is_identity(MqttVersion v, PacketType type) {
        PacketGenerator g = new PacketGenerator(31L * v.ordinal() + type.code());
        for (int i = 0; i < CASES; i++) {
            PacketType.Sender sender = g.sender(type, v);
            Packet p = g.packet(type, v, sender);
            assertThat(PacketValidator.validate(p, v)).as("violations of generated %s", p).isEmpty();
            byte[] b = MqttEncoder.encode(p, v);
            assertThat(b).hasSize(MqttEncoder.size(p, v));
            assertThat(MqttEncoder.encodeUnchecked(p, v)).isEqualTo(b);
            List<DecodeResult> r = Packets.decode(sender, v, type, b);
            assertThat(r).as("decoding %s from %s: %s", p, sender, Wire.hex(b)).hasSize(1);
            assertThat(r.get(0)).as("decoding %s from %s", p, sender).isInstanceOf(DecodeResult.Decoded.class);
            assertThat(((DecodeResult.Decoded) r.get(0)).packet()).isEqualTo(p);
            assertThat(((DecodeResult.Decoded) r.get(0)).length()).isEqualTo(b.length);
        }
    }

    @Test
    void generator_uses_every_property_each_packet_allows() {
        PacketGenerator g = new PacketGenerator(7);
        for (PacketType type : PacketType.values()) {
            Set<PropertyId> seen = EnumSet.noneOf(PropertyId.class);
            Set<PropertyId> seenInWill = EnumSet.noneOf(PropertyId.class);
            for (int i = 0; i < 300; i++) {
                Packet p = g.packet(type, MqttVersion.V5, g.sender(type, MqttVersion.V5));
                p.properties().list().forEach(x -> seen.add(x.id()));
                if (p instanceof Connect && ((Connect) p).will() != null) {
                    ((Connect) p).will().properties().list().forEach(x -> seenInWill.add(x.id()));
                }
            }
            for (PropertyId id : PropertyId.values()) {
                if (id.allowedIn(type)) {
                    assertThat(seen).as(type + " properties").contains(id);
                }
                if (type == PacketType.CONNECT && id.allowedInWill()) {
                    assertThat(seenInWill).as("will properties").contains(id);
                }
            }
        }
    }

    @Test
    void generated_streams_of_every_type_decode_as_one_stream() {
        // every client-sent type in one stream after a CONNECT, decoded by one server-side decoder
        for (MqttVersion v : MqttVersion.values()) {
            PacketGenerator g = new PacketGenerator(99 + v.ordinal());
            java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
            List<Packet> sent = new ArrayList<>();
            sent.add(g.connect(v));
            for (int i = 0; i < 500; i++) {
                PacketType t = g.pick(List.of(PacketType.values()));
                if (t == PacketType.CONNECT || !t.sentByClient() || (t == PacketType.AUTH && !v.isV5())) {
                    continue;
                }
                sent.add(g.packet(t, v, PacketType.Sender.CLIENT));
            }
            for (Packet p : sent) {
                s.writeBytes(MqttEncoder.encode(p, v));
            }
            List<DecodeResult> r = MqttDecoder.forServer(Wire.MAX).feed(s.toByteArray());
            assertThat(r).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(((DecodeResult.Decoded) r.get(i)).packet()).isEqualTo(sent.get(i));
            }
        }
    }
}
