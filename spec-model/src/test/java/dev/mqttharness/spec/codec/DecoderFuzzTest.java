package dev.mqttharness.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. In a normal build ({@code mvn verify}) it runs
 * as a regression test over the seed corpus in
 * {@code src/test/resources/dev/mqttharness/spec/codec/DecoderFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 mvn -pl spec-model test -Dtest=DecoderFuzzTest
 * }</pre>
 *
 * Input layout: byte 0 picks the decoder (its low two bits: server side learning the version from
 * CONNECT, client side 3.1.1, client side 5.0, server side with a 64-byte maximum packet size),
 * byte 1 seeds the chunk sizes, the rest is the byte stream.
 */
class DecoderFuzzTest {
    static final int MAX = 4096;

    @FuzzTest(maxDuration = "5m")
    void decoder_never_throws_and_never_buffers_more_than_its_maximum(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int mode = input[0] & 0x03;
        int max = mode == 3 ? 64 : MAX;
        SplittableRandom random = new SplittableRandom(input[1]);

        MqttDecoder chunked = decoder(mode, max);
        List<DecodeResult> results = new ArrayList<>();
        int off = 2;
        int feeds = 0;
        while (off < input.length) {
            int n = 1 + random.nextInt(Math.min(97, input.length - off));
            chunked.feed(input, off, n, results::add);
            off += n;
            feeds++;
            assertThat(chunked.bufferCapacity()).isLessThanOrEqualTo(max);
        }
        assertThat(feeds).isLessThanOrEqualTo(input.length);

        long expectedOffset = 0;
        for (int i = 0; i < results.size(); i++) {
            DecodeResult r = results.get(i);
            assertThat(r.offset()).isGreaterThanOrEqualTo(expectedOffset).isLessThan(input.length);
            if (r instanceof DecodeResult.Decoded d) {
                assertThat(d.offset()).isEqualTo(expectedOffset);
                assertThat(d.length()).isBetween(2, max);
                expectedOffset += d.length();
            } else {
                Malformed m = (Malformed) r;
                assertThat(i).as("nothing follows a Malformed").isEqualTo(results.size() - 1);
                assertThat(chunked.failed()).isTrue();
                MqttVersion v = m.version() != null ? m.version() : MqttVersion.V5;
                assertThat(m.statements()).isNotEmpty();
                for (String id : m.statements()) {
                    assertThat(Catalog.get().exists(v, id)).as(id + " of " + m).isTrue();
                }
            }
        }
        assertThat(expectedOffset).isLessThanOrEqualTo(input.length - 2L);

        // the chunking does not change what is decoded
        MqttDecoder whole = decoder(mode, max);
        assertThat(whole.feed(java.util.Arrays.copyOfRange(input, 2, input.length))).isEqualTo(results);
    }

    static MqttDecoder decoder(int mode, int max) {
        switch (mode) {
            case 1: return MqttDecoder.forClient(MqttVersion.V3_1_1, max);
            case 2: return MqttDecoder.forClient(MqttVersion.V5, max);
            default: return MqttDecoder.forServer(max);
        }
    }
}
