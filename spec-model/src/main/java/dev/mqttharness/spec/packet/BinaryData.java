package dev.mqttharness.spec.packet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable bytes: payloads, passwords, correlation and authentication data. A decoder may hand
 * out a view into the buffer it decoded from instead of copying; nothing writes to it afterwards.
 */
public final class BinaryData {
    public static final BinaryData EMPTY = new BinaryData(new byte[0], 0, 0);
    /** Binary Data fields other than payloads carry a two-byte length. */
    public static final int MAX_FIELD_LENGTH = 65_535;

    private final byte[] array;
    private final int offset;
    private final int length;

    private BinaryData(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of {@code bytes}. */
    public static BinaryData of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new BinaryData(bytes.clone(), 0, bytes.length);
    }

    public static BinaryData of(String utf8) {
        return wrap(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** A view of {@code bytes} without copying; the caller must not change them afterwards. */
    public static BinaryData wrap(byte[] bytes) {
        return new BinaryData(bytes, 0, bytes.length);
    }

    /** A view of part of {@code bytes} without copying; the caller must not change them afterwards. */
    public static BinaryData wrap(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException(offset + "+" + length + " > " + bytes.length);
        }
        return length == 0 ? EMPTY : new BinaryData(bytes, offset, length);
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte get(int i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException(i);
        }
        return array[offset + i];
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    public void copyTo(byte[] dst, int pos) {
        System.arraycopy(array, offset, dst, pos, length);
    }

    public String toUtf8() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }

    public String toHex() {
        return HexFormat.of().formatHex(array, offset, offset + length);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BinaryData)) {
            return false;
        }
        BinaryData b = (BinaryData) o;
        return Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    @Override
    public String toString() {
        if (length <= 64) {
            boolean printable = true;
            for (int i = offset; i < offset + length; i++) {
                int c = array[i] & 0xFF;
                if (c < 0x20 || c > 0x7E) {
                    printable = false;
                    break;
                }
            }
            if (printable) {
                return "\"" + toUtf8() + "\"";
            }
            return "0x" + toHex();
        }
        return length + " bytes";
    }
}
