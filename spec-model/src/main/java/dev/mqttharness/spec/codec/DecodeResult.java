package dev.mqttharness.spec.codec;

/** What the decoder made of one packet's bytes: a packet, or the reason it is not one. */
public sealed interface DecodeResult permits DecodeResult.Decoded, Malformed {

    /** Stream offset of the packet's first byte. */
    long offset();

    /**
     * A well-formed packet.
     *
     * @param offset stream offset of its first byte
     * @param length bytes it took, fixed header included
     */
    record Decoded(dev.mqttharness.spec.packet.Packet packet, long offset, int length) implements DecodeResult {
    }
}
