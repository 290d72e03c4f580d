package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Unsubscribe;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decoder is incremental: whatever the chunking of a stream, it yields the same results as when
 * the stream arrives whole.
 */
class IncrementalDecodingTest {

    static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        return p;
    }

    /** What a client sends: CONNECT, then a mix of packets, in {@code v}. */
    static byte[] clientStream(MqttVersion v) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        List<Packet> packets = new ArrayList<>();
        Connect.Builder c = Connect.builder(v).clientId("incremental").keepAlive(30).username("u").password("p");
        if (v.isV5()) {
            c.property(dev.mqttharness.spec.packet.Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60));
        }
        packets.add(c.build());
        packets.add(Publish.qos0("a/b", "hello"));
        packets.add(new Publish(false, QoS.AT_LEAST_ONCE, true, TopicName.of("x"), 7,
                v.isV5() ? Properties.builder().userProperty("k", "v").build() : Properties.EMPTY,
                BinaryData.wrap(payload(300)))); // Remaining Length in two bytes
        packets.add(Pingreq.INSTANCE);
        packets.add(Subscribe.of(8, "a/+", QoS.EXACTLY_ONCE));
        packets.add(PubAck.of(PacketType.PUBREC, 9));
        packets.add(PubAck.of(PacketType.PUBCOMP, 10));
        packets.add(Unsubscribe.of(11, "a/+", "#"));
        packets.add(new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.of("big"), 0, Properties.EMPTY,
                BinaryData.wrap(payload(17_000)))); // Remaining Length in three bytes
        packets.add(Disconnect.NORMAL);
        for (Packet p : packets) {
            s.writeBytes(MqttEncoder.encode(p, v));
        }
        return s.toByteArray();
    }

    /** What a server sends. */
    static byte[] serverStream(MqttVersion v) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(MqttEncoder.encode(Connack.accepted(false), v));
        s.writeBytes(MqttEncoder.encode(new Suback(1, Properties.EMPTY, List.of(0, 1, 2)), v));
        s.writeBytes(MqttEncoder.encode(Publish.of("t/u", "payload", QoS.EXACTLY_ONCE, 3, false), v));
        s.writeBytes(MqttEncoder.encode(PubAck.of(PacketType.PUBREL, 3), v));
        s.writeBytes(MqttEncoder.encode(Pingresp.INSTANCE, v));
        return s.toByteArray();
    }

    static List<DecodeResult> whole(Supplier<MqttDecoder> decoder, byte[] stream) {
        return decoder.get().feed(stream);
    }

    static List<DecodeResult> chunked(Supplier<MqttDecoder> decoder, byte[] stream, int[] cuts) {
        MqttDecoder d = decoder.get();
        List<DecodeResult> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            d.feed(stream, from, cut - from, out::add);
            from = cut;
        }
        d.feed(stream, from, stream.length - from, out::add);
        assertThat(d.hasPartialPacket()).isFalse();
        return out;
    }

    static Supplier<MqttDecoder> server() {
        return () -> MqttDecoder.forServer(Wire.MAX);
    }

    static Supplier<MqttDecoder> client(MqttVersion v) {
        return () -> MqttDecoder.forClient(v, Wire.MAX);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_whole_stream_yields_every_packet_in_order(MqttVersion v) {
        List<DecodeResult> r = whole(server(), clientStream(v));
        assertThat(r).hasSize(10).allMatch(x -> x instanceof DecodeResult.Decoded);
        long offset = 0;
        for (DecodeResult x : r) {
            assertThat(x.offset()).isEqualTo(offset);
            offset += ((DecodeResult.Decoded) x).length();
        }
        assertThat(offset).isEqualTo(clientStream(v).length);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_split_at_every_point_equals_whole(MqttVersion v) {
        // every single split point of the stream without its 17 kB packet, and of the server stream
        byte[] stream = clientStream(v);
        int bigStart = stream.length - 2 - MqttEncoder.size(new Publish(false, QoS.AT_MOST_ONCE, false,
                TopicName.of("big"), 0, Properties.EMPTY, BinaryData.wrap(payload(17_000))), v);
        byte[] small = cat(java.util.Arrays.copyOf(stream, bigStart), MqttEncoder.encode(Disconnect.NORMAL, v));
        List<DecodeResult> expected = whole(server(), small);
        assertThat(expected).hasSize(9);
        for (int k = 0; k <= small.length; k++) {
            assertThat(chunked(server(), small, new int[] {k})).as("split at " + k).isEqualTo(expected);
        }
        byte[] fromServer = serverStream(v);
        List<DecodeResult> expectedClient = whole(client(v), fromServer);
        for (int k = 0; k <= fromServer.length; k++) {
            assertThat(chunked(client(v), fromServer, new int[] {k})).isEqualTo(expectedClient);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_byte_by_byte_equals_whole(MqttVersion v) {
        byte[] stream = clientStream(v);
        int[] cuts = new int[stream.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(chunked(server(), stream, cuts)).isEqualTo(whole(server(), stream));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void decode_random_chunkings_equal_whole(MqttVersion v) {
        byte[] stream = clientStream(v);
        List<DecodeResult> expected = whole(server(), stream);
        SplittableRandom random = new SplittableRandom(0x5EED);
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(20);
            int[] cuts = random.ints(n, 0, stream.length + 1).sorted().toArray();
            assertThat(chunked(server(), stream, cuts)).as("cuts " + java.util.Arrays.toString(cuts)).isEqualTo(expected);
        }
    }

    @Test
    void decode_split_around_a_three_byte_remaining_length() {
        byte[] stream = clientStream(V3_1_1);
        List<DecodeResult> expected = whole(server(), stream);
        long bigAt = expected.get(8).offset();
        for (int a = -3; a <= 6; a++) {
            for (int b = a; b <= 6; b++) {
                int[] cuts = {(int) bigAt + a, (int) bigAt + b};
                assertThat(chunked(server(), stream, cuts)).isEqualTo(expected);
            }
        }
    }

    @Test
    void decode_stream_ending_in_a_malformed_packet_reports_it_at_the_same_offset_whatever_the_split() {
        // CONNECT, PUBLISH, then a PUBLISH with QoS 3, then bytes that must be ignored
        byte[] connect = MqttEncoder.encode(Connect.builder(V5).clientId("c").build(), V5);
        byte[] pub = MqttEncoder.encode(Publish.qos0("t", "x"), V5);
        byte[] stream = cat(connect, pub, RawPacket.withFlags(pub, 0x06), pub);
        List<DecodeResult> expected = whole(server(), stream);
        assertThat(expected).hasSize(3);
        assertThat(expected.get(2)).isInstanceOf(Malformed.class);
        assertThat(expected.get(2).offset()).isEqualTo(connect.length + pub.length);
        for (int k = 0; k <= stream.length; k++) {
            assertThat(chunked(server(), stream, new int[] {k})).isEqualTo(expected);
        }
    }

    @Test
    void decode_zero_copy_payload_is_a_view_of_the_chunk_when_whole() {
        byte[] chunk = MqttEncoder.encode(Publish.qos0("t", "abc"), V3_1_1);
        Publish p = (Publish) ((DecodeResult.Decoded) Wire.serverSide(V3_1_1).feed(chunk).get(0)).packet();
        assertThat(p.payload()).isEqualTo(BinaryData.of("abc"));
        // the contract: the chunk is handed over; the payload is not a copy of it
        chunk[chunk.length - 1] = 'z';
        assertThat(p.payload()).isEqualTo(BinaryData.of("abz"));
    }

    @Test
    void decode_payload_equals_whatever_the_split() {
        byte[] data = payload(5000);
        byte[] chunk = MqttEncoder.encode(new Publish(false, QoS.AT_MOST_ONCE, false, TopicName.of("t"), 0,
                Properties.EMPTY, BinaryData.wrap(data)), V3_1_1);
        for (int k : new int[] {1, 2, 3, 4, 5, 100, chunk.length - 1}) {
            List<DecodeResult> r = chunked(() -> Wire.serverSide(V3_1_1), chunk, new int[] {k});
            Publish p = (Publish) ((DecodeResult.Decoded) r.get(0)).packet();
            assertThat(p.payload()).isEqualTo(BinaryData.of(data));
            assertThat(p.payload().toByteArray()).isEqualTo(data);
        }
    }

    static byte[] cat(byte[]... parts) {
        return Wire.cat(parts);
    }
}
