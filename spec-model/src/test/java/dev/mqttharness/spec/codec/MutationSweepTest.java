package dev.mqttharness.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded byte-level corruption of valid packets: the decoder never throws, every rejection names
 * statements of the version's catalog, and whatever it accepts the validator accepts too (the
 * decoder is never more lenient than the rules the strict encoder applies).
 */
class MutationSweepTest {
    static final int CASES = 20_000;

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void corrupted_packets_are_rejected_with_catalog_statements_or_decode_to_valid_packets(MqttVersion v) {
        PacketGenerator g = new PacketGenerator(1234 + v.ordinal());
        List<PacketType> types = java.util.Arrays.stream(PacketType.values())
                .filter(t -> v.isV5() || t != PacketType.AUTH).toList();
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            PacketType type = g.pick(types);
            PacketType.Sender sender = g.sender(type, v);
            byte[] b = MqttEncoder.encode(g.packet(type, v, sender), v);
            byte[] body = RawPacket.bodyOf(b);
            int mutations = g.between(1, 3);
            for (int m = 0; m < mutations && body.length > 0; m++) {
                switch (g.random.nextInt(4)) {
                    case 0 -> body[g.random.nextInt(body.length)] = (byte) g.random.nextInt(256);
                    case 1 -> body[g.random.nextInt(body.length)] ^= (byte) (1 << g.random.nextInt(8));
                    case 2 -> body = java.util.Arrays.copyOf(body, g.random.nextInt(body.length));
                    default -> body[g.random.nextInt(body.length)] = (byte) (int) g.pick(List.of(0x00, 0x7F, 0x80, 0xFF, (int) '#', (int) '+', (int) '/'));
                }
            }
            byte[] mutated = RawPacket.withBody(b, body);
            if (g.chance(10)) {
                mutated = RawPacket.withFlags(mutated, g.random.nextInt(16));
            }
            List<DecodeResult> r = Packets.decode(sender, v, type, mutated); // checks statements exist
            assertThat(r).hasSize(1);
            if (r.get(0) instanceof DecodeResult.Decoded d) {
                accepted++;
                Packet p = d.packet();
                assertThat(PacketValidator.validate(p, v)).as("validator on %s decoded from %s", p, Wire.hex(mutated)).isEmpty();
            } else {
                rejected++;
            }
        }
        assertThat(accepted).isGreaterThan(CASES / 20);
        assertThat(rejected).isGreaterThan(CASES / 20);
    }
}
