package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Utf8;
import dev.mqttharness.spec.packet.VariableByteInteger;
import java.util.Arrays;

/**
 * A growable byte sequence that writes MQTT data types without judging them: the raw writer's
 * building block. Lengths, integers and strings are written exactly as asked, valid or not.
 */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int capacity) {
        buf = new byte[Math.max(capacity, 8)];
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public ByteWriter u32(long v) {
        ensure(4);
        buf[len++] = (byte) (v >> 24);
        buf[len++] = (byte) (v >> 16);
        buf[len++] = (byte) (v >> 8);
        buf[len++] = (byte) v;
        return this;
    }

    /** A Variable Byte Integer in its shortest form. */
    public ByteWriter vbi(int v) {
        return bytes(VariableByteInteger.encode(v));
    }

    /** A Variable Byte Integer padded to {@code n} bytes (non-minimal, or over-long when n > 4). */
    public ByteWriter vbiPadded(int v, int n) {
        return bytes(VariableByteInteger.encodePadded(v, n));
    }

    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public ByteWriter bytes(BinaryData d) {
        ensure(d.length());
        d.copyTo(buf, len);
        len += d.length();
        return this;
    }

    /** A two-byte length and the string's UTF-8 bytes (lone surrogates written as they are). */
    public ByteWriter utf8(String s) {
        byte[] b = Utf8.encode(s);
        return u16(b.length).bytes(b);
    }

    /** A two-byte length and the given bytes, which need not be UTF-8. */
    public ByteWriter lengthPrefixed(byte[] b) {
        return u16(b.length).bytes(b);
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
