package dev.mqttharness.spec.packet;

/**
 * Variable Byte Integers (§1.5.5 in 5.0, Remaining Length in §2.2.3 of 3.1.1): seven bits per
 * byte, the high bit saying another byte follows, at most four bytes, shortest form required.
 */
public final class VariableByteInteger {
    public static final int MAX_VALUE = 268_435_455;

    private VariableByteInteger() {
    }

    /** Bytes the shortest encoding of {@code value} takes. */
    public static int size(int value) {
        if (value < 0 || value > MAX_VALUE) {
            throw new IllegalArgumentException("variable byte integer out of range: " + value);
        }
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /** Writes the shortest encoding at {@code pos}; returns the position after it. */
    public static int write(byte[] dst, int pos, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            dst[pos++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return pos;
    }

    /** The shortest encoding of {@code value}. */
    public static byte[] encode(int value) {
        byte[] out = new byte[size(value)];
        write(out, 0, value);
        return out;
    }

    /**
     * An encoding of {@code value} padded to {@code bytes} bytes with continuation bits, which is
     * not the shortest form: for sending non-minimal encodings on purpose. {@code bytes} may exceed
     * four to produce an over-long integer.
     */
    public static byte[] encodePadded(int value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int digit = value & 0x7F;
            value >>>= 7;
            out[i] = (byte) (i < bytes - 1 ? digit | 0x80 : digit);
        }
        return out;
    }
}
