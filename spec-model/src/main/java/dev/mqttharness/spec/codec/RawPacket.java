package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.VariableByteInteger;
import java.util.Arrays;

/**
 * The raw writer: builds any byte sequence that looks like an MQTT packet — reserved packet types,
 * any flags, a Remaining Length that lies or is not minimal, any body. For probes and the fuzzer;
 * nothing here is validated.
 *
 * <pre>{@code
 * byte[] b = RawPacket.of(PacketType.SUBSCRIBE).flags(0).body(new ByteWriter().u16(1).utf8("a").u8(0)).toBytes();
 * }</pre>
 */
public final class RawPacket {
    private int typeCode;
    private int flags;
    private byte[] body = new byte[0];
    private Integer remainingLength;
    private int remainingLengthBytes;

    private RawPacket(int typeCode, int flags) {
        this.typeCode = typeCode;
        this.flags = flags;
    }

    /** A packet of {@code type} with its required flags (0 for PUBLISH). */
    public static RawPacket of(PacketType type) {
        return new RawPacket(type.code(), Math.max(type.requiredFlags(), 0));
    }

    /** A packet with any type code 0..15, including the reserved 0. */
    public static RawPacket ofTypeCode(int code) {
        return new RawPacket(code & 0x0F, 0);
    }

    public RawPacket flags(int f) {
        this.flags = f & 0x0F;
        return this;
    }

    public RawPacket body(byte[] b) {
        this.body = b.clone();
        return this;
    }

    public RawPacket body(ByteWriter w) {
        this.body = w.toByteArray();
        return this;
    }

    /** Declares a Remaining Length other than the body's real length. */
    public RawPacket remainingLength(int value) {
        this.remainingLength = value;
        return this;
    }

    /** Encodes the Remaining Length in {@code n} bytes, padding with continuation bits if needed. */
    public RawPacket remainingLengthBytes(int n) {
        this.remainingLengthBytes = n;
        return this;
    }

    public byte[] toBytes() {
        int rl = remainingLength != null ? remainingLength : body.length;
        byte[] len = remainingLengthBytes > 0 ? VariableByteInteger.encodePadded(rl, remainingLengthBytes)
                : VariableByteInteger.encode(rl);
        byte[] out = new byte[1 + len.length + body.length];
        out[0] = (byte) ((typeCode << 4) | flags);
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(body, 0, out, 1 + len.length, body.length);
        return out;
    }

    // ---- mutations of an encoded packet, for probes that start from a valid packet

    /** {@code packet} with its four flag bits replaced. */
    public static byte[] withFlags(byte[] packet, int flags) {
        byte[] out = packet.clone();
        out[0] = (byte) ((out[0] & 0xF0) | (flags & 0x0F));
        return out;
    }

    /** Offset of the first body byte of an encoded packet (after the Remaining Length). */
    public static int bodyOffset(byte[] packet) {
        int i = 1;
        while ((packet[i] & 0x80) != 0) {
            i++;
        }
        return i + 1;
    }

    /** {@code packet} with its body replaced and the Remaining Length fixed to match. */
    public static byte[] withBody(byte[] packet, byte[] body) {
        return new RawPacket(((packet[0] & 0xFF) >> 4), packet[0] & 0x0F).body(body).toBytes();
    }

    /** The body of an encoded packet. */
    public static byte[] bodyOf(byte[] packet) {
        return Arrays.copyOfRange(packet, bodyOffset(packet), packet.length);
    }

    /** {@code packet} with {@code extra} appended to its body and the Remaining Length grown to cover it. */
    public static byte[] withTrailingBytes(byte[] packet, byte... extra) {
        byte[] b = bodyOf(packet);
        byte[] nb = Arrays.copyOf(b, b.length + extra.length);
        System.arraycopy(extra, 0, nb, b.length, extra.length);
        return withBody(packet, nb);
    }

    /** {@code packet} with one body byte changed (index relative to the body). */
    public static byte[] withBodyByte(byte[] packet, int index, int value) {
        byte[] out = packet.clone();
        out[bodyOffset(packet) + index] = (byte) value;
        return out;
    }
}
