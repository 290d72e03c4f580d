package dev.mqttharness.spec.packet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An MQTT UTF-8 Encoded String, kept as its bytes. {@link #of} accepts only valid strings;
 * {@link #unchecked(byte[])} takes any bytes, so that a harness can put an ill-formed string on
 * the wire on purpose.
 */
public final class Utf8String implements Comparable<Utf8String> {
    public static final Utf8String EMPTY = new Utf8String(new byte[0], "");

    private final byte[] bytes;
    private String string;

    private Utf8String(byte[] bytes, String string) {
        this.bytes = bytes;
        this.string = string;
    }

    /** A valid MQTT string; throws {@link IllegalArgumentException} naming the problem otherwise. */
    public static Utf8String of(String s) {
        Utf8.Problem p = Utf8.check(s);
        if (p != null) {
            throw new IllegalArgumentException("invalid MQTT string: " + p.text());
        }
        return new Utf8String(s.getBytes(StandardCharsets.UTF_8), s);
    }

    /** Any Java string, lone surrogates and U+0000 included, encoded as written. */
    public static Utf8String unchecked(String s) {
        return new Utf8String(Utf8.encode(s), null);
    }

    /** Any bytes, valid UTF-8 or not. The array is copied. */
    public static Utf8String unchecked(byte[] bytes) {
        return new Utf8String(bytes.clone(), null);
    }

    /** A copy of {@code len} bytes at {@code off}, valid UTF-8 or not. */
    public static Utf8String unchecked(byte[] bytes, int off, int len) {
        return len == 0 ? EMPTY : new Utf8String(java.util.Arrays.copyOfRange(bytes, off, off + len), null);
    }

    public Utf8.Problem problem() {
        int at = Utf8.firstProblem(bytes, 0, bytes.length);
        if (at >= 0) {
            return Utf8.problemAt(bytes, 0, bytes.length, at);
        }
        return bytes.length > Utf8.MAX_BYTES ? Utf8.Problem.TOO_LONG : null;
    }

    public boolean isValid() {
        return problem() == null;
    }

    public int encodedLength() {
        return bytes.length;
    }

    /** A copy of the encoded bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the encoded bytes to {@code dst} at {@code pos}; returns the position after them. */
    public int copyTo(byte[] dst, int pos) {
        System.arraycopy(bytes, 0, dst, pos, bytes.length);
        return pos + bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public String toString() {
        String s = string;
        if (s == null) {
            s = new String(bytes, StandardCharsets.UTF_8);
            string = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Utf8String && Arrays.equals(bytes, ((Utf8String) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Utf8String o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
