package dev.mqttharness.fuzz.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.fuzz.engine.ChoiceSource;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.PacketValidator;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PacketGenTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void generates_valid_packets_of_every_type_that_decode_to_themselves(MqttVersion v) {
        Set<PacketType> seen = EnumSet.noneOf(PacketType.class);
        boolean propertiesSeen = false;
        for (long seed = 0; seed < 3_000; seed++) {
            PacketGen g = new PacketGen(ChoiceSource.seeded(seed), v, "t/");
            Packet p = g.any();
            seen.add(p.type());
            propertiesSeen |= !p.properties().isEmpty();
            assertThat(PacketValidator.validate(p, v)).as("%s", p).isEmpty();
            byte[] bytes = MqttEncoder.encode(p, v);
            MqttDecoder d = p.type().sentByClient() && p.type() != PacketType.PUBLISH && p.type() != PacketType.DISCONNECT
                    && p.type() != PacketType.AUTH && !p.type().name().startsWith("PUB")
                    ? MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE)
                    : MqttDecoder.forClient(v, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            if (p.type() == PacketType.CONNECT || !p.type().sentByServer(v.isV5())) {
                d = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
                if (p.type() != PacketType.CONNECT) {
                    d.feed(MqttEncoder.encode(dev.mqttharness.spec.packet.Connect.builder(v).clientId("x").build(), v));
                }
            }
            List<DecodeResult> r = d.feed(bytes);
            assertThat(r).as("%s", p).hasSize(1);
            assertThat(r.get(0)).as("%s", p).isInstanceOf(DecodeResult.Decoded.class);
        }
        int expected = v.isV5() ? 15 : 14;
        assertThat(seen).hasSize(expected);
        assertThat(propertiesSeen).isEqualTo(v.isV5());
    }
}
