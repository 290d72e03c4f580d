package dev.mqttharness.fuzz.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.VariableByteInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MutationTest {
    private static final Mutation.Context CTX3 = new Mutation.Context(MqttVersion.V3_1_1, "clientIdOfTwentyThree01", "fz/t/0/0/", 77);
    private static final Mutation.Context CTX5 = new Mutation.Context(MqttVersion.V5, "clientIdOfTwentyThree01", "fz/t/0/0/", 77);

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void every_variant_is_labelled_with_statements_of_its_version_and_our_decoder_rejects_it(MqttVersion v) {
        Mutation.Context ctx = v.isV5() ? CTX5 : CTX3;
        byte[] connect = MqttEncoder.encode(Connect.builder(v).clientId("x").build(), v);
        int total = 0;
        for (Mutation m : Mutation.values()) {
            for (int variant = 0; variant < m.variants(v); variant++) {
                total++;
                Obligation o = m.obligation(v, variant);
                assertThat(Catalog.get().exists(v, o.statement())).as("%s/%d: %s", m, variant, o.statement()).isTrue();
                for (String b : o.breaks()) {
                    assertThat(Catalog.get().exists(v, b)).as("%s/%d breaks %s", m, variant, b).isTrue();
                }
                assertThat(m.describe(variant)).isNotBlank();
                assertThat(m.family(variant)).isNotBlank();
                byte[] bytes = m.build(ctx, variant);
                // the Remaining Length covers exactly the bytes sent: nothing after it is swallowed
                int i = 1;
                int rl = 0;
                int mult = 1;
                while (i < bytes.length && i <= 5) {
                    rl += (bytes[i] & 0x7F) * mult;
                    mult *= 128;
                    if ((bytes[i++] & 0x80) == 0) {
                        break;
                    }
                }
                if (m != Mutation.REMAINING_LENGTH_OVERLONG) {
                    assertThat(bytes.length).as("%s/%d length", m, variant).isEqualTo(i + rl);
                }
                if (m.stateful()) {
                    continue;
                }
                byte[] prior = m.stage() == Mutation.Stage.SESSION ? connect : new byte[0];
                MqttDecoder d = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
                d.feed(prior);
                boolean malformed = false;
                for (DecodeResult r : d.feed(bytes)) {
                    malformed |= r instanceof Malformed;
                }
                assertThat(malformed).as("%s/%d: %s is not malformed for our decoder", m, variant, m.describe(variant)).isTrue();
            }
        }
        assertThat(total).isGreaterThan(v.isV5() ? 150 : 100);
        assertThat(VariableByteInteger.MAX_VALUE).isPositive();
    }
}
