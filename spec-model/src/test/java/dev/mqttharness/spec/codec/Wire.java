package dev.mqttharness.spec.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Helpers for wire fixtures: byte arrays written as int lists, and decoding them from either side
 * of a connection with the assertions every fixture shares.
 */
final class Wire {
    static final int MAX = 1 << 20;

    private Wire() {
    }

    /** Each int is one byte (0..255). */
    static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > 255) {
                throw new IllegalArgumentException("not a byte: " + v[i]);
            }
            out[i] = (byte) v[i];
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A decoder of what a client sends, in a connection already established with {@code v}. */
    static MqttDecoder serverSide(MqttVersion v) {
        return new MqttDecoder(PacketType.Sender.CLIENT, v, MAX);
    }

    static MqttDecoder clientSide(MqttVersion v) {
        return MqttDecoder.forClient(v, MAX);
    }

    static List<DecodeResult> fromClient(MqttVersion v, byte[] b) {
        return checked(v, serverSide(v).feed(b));
    }

    static List<DecodeResult> fromServer(MqttVersion v, byte[] b) {
        return checked(v, clientSide(v).feed(b));
    }

    /** The one packet {@code b} holds, sent by a client. */
    static Packet decodedFromClient(MqttVersion v, byte[] b) {
        return single(fromClient(v, b), b.length);
    }

    static Packet decodedFromServer(MqttVersion v, byte[] b) {
        return single(fromServer(v, b), b.length);
    }

    static Malformed malformedFromClient(MqttVersion v, byte[] b) {
        return singleMalformed(fromClient(v, b));
    }

    static Malformed malformedFromServer(MqttVersion v, byte[] b) {
        return singleMalformed(fromServer(v, b));
    }

    private static Packet single(List<DecodeResult> results, int length) {
        assertThat(results).hasSize(1);
        assertThat(results.get(0)).isInstanceOf(DecodeResult.Decoded.class);
        DecodeResult.Decoded d = (DecodeResult.Decoded) results.get(0);
        assertThat(d.offset()).isZero();
        assertThat(d.length()).isEqualTo(length);
        return d.packet();
    }

    private static Malformed singleMalformed(List<DecodeResult> results) {
        assertThat(results).hasSize(1);
        assertThat(results.get(0)).isInstanceOf(Malformed.class);
        return (Malformed) results.get(0);
    }

    /** Every statement each Malformed names exists in the catalog of the version it was judged by. */
    static List<DecodeResult> checked(MqttVersion v, List<DecodeResult> results) {
        for (DecodeResult r : results) {
            if (r instanceof Malformed) {
                assertStatementsExist((Malformed) r, v);
            }
        }
        return results;
    }

    /**
     * Every statement a Malformed names exists in its version's catalog. A Malformed without a
     * version (a server-side decoder before the CONNECT told it one) names 5.0 statements.
     */
    static void assertStatementsExist(Malformed m, MqttVersion judgedAs) {
        MqttVersion v = m.version() != null ? m.version() : MqttVersion.V5;
        assertThat(m.statements()).as("statements of " + m).isNotEmpty();
        for (String id : m.statements()) {
            assertThat(Catalog.get().exists(v, id)).as(id + " in the MQTT " + v + " catalog, named by " + m).isTrue();
        }
    }

    /**
     * A rejection with this reason code, naming {@code statement} (among others), at this stream
     * offset; every statement named exists in the catalog of {@code v}.
     */
    static void assertMalformed(Malformed m, MqttVersion v, int reasonCode, String statement, long offset) {
        assertStatementsExist(m, v);
        assertThat(m.reasonCode()).as("reason code of " + m).isEqualTo(reasonCode);
        assertThat(m.statements()).as("statements of " + m).contains(statement);
        assertThat(m.offset()).as("offset of " + m).isEqualTo(offset);
        if (m.version() != null) {
            assertThat(m.version()).isEqualTo(v);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X ", x & 0xFF));
        }
        return sb.toString().trim();
    }
}
