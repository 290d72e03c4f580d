package dev.mqttharness.spec.packet;

/**
 * UTF-8 rules for MQTT strings (3.1.1 §1.5.3, 5.0 §1.5.4): well-formed, no surrogate code points,
 * no U+0000, at most 65,535 bytes. U+FEFF is an ordinary character and is kept.
 */
public final class Utf8 {
    public static final int MAX_BYTES = 65_535;

    /** What is wrong with a byte sequence as an MQTT string. */
    public enum Problem {
        ILL_FORMED("ill-formed UTF-8"),
        SURROGATE("encodes a surrogate code point (U+D800..U+DFFF)"),
        NULL_CHARACTER("contains U+0000"),
        TOO_LONG("longer than 65535 bytes");

        private final String text;

        Problem(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private Utf8() {
    }

    /**
     * Validates {@code len} bytes at {@code off}. Returns -1 if valid, otherwise the offset (relative
     * to {@code off}) of the first bad byte; {@link #problemAt} says what is wrong there.
     */
    public static int firstProblem(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c > 0) { // ASCII other than U+0000: the common case
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n <= 0) {
                return i - off;
            }
            i += n;
        }
        return -1;
    }

    /** Classifies the problem at an offset reported by {@link #firstProblem}. */
    public static Problem problemAt(byte[] b, int off, int len, int at) {
        int i = off + at;
        int n = sequenceLength(b, i, off + len);
        return n == 0 ? Problem.NULL_CHARACTER : n == -2 ? Problem.SURROGATE : Problem.ILL_FORMED;
    }

    /** Validates a Java string as an MQTT string; null if fine. */
    public static Problem check(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return Problem.NULL_CHARACTER;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    bytes += 4;
                    continue;
                }
                return Problem.SURROGATE;
            }
            if (Character.isLowSurrogate(c)) {
                return Problem.SURROGATE;
            }
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return bytes > MAX_BYTES ? Problem.TOO_LONG : null;
    }

    /**
     * Length of the UTF-8 sequence at {@code i}: positive when well-formed and allowed, 0 for
     * U+0000, -1 when ill-formed, -2 when it encodes a surrogate.
     */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c == 0) {
            return 0;
        }
        if (c < 0x80) {
            return 1;
        }
        if (c < 0xC2) { // continuation byte, or overlong 2-byte lead
            return -1;
        }
        if (c < 0xE0) {
            return i + 1 < end && isCont(b[i + 1]) ? 2 : -1;
        }
        if (c < 0xF0) {
            if (i + 2 >= end || !isCont(b[i + 1]) || !isCont(b[i + 2])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c == 0xE0 && c1 < 0xA0) {
                return -1; // overlong
            }
            if (c == 0xED && c1 >= 0xA0) {
                return -2; // U+D800..U+DFFF
            }
            return 3;
        }
        if (c < 0xF5) {
            if (i + 3 >= end || !isCont(b[i + 1]) || !isCont(b[i + 2]) || !isCont(b[i + 3])) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
                return -1; // overlong, or above U+10FFFF
            }
            return 4;
        }
        return -1;
    }

    private static boolean isCont(byte x) {
        return (x & 0xC0) == 0x80;
    }

    /** Number of bytes {@code s} takes in UTF-8 (surrogate pairs as 4, lone surrogates as 3). */
    public static int encodedLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Encodes {@code s} as UTF-8, writing lone surrogates as their 3-byte form rather than
     * replacing them, so that an invalid string built on purpose reaches the wire as written.
     */
    public static byte[] encode(String s) {
        byte[] out = new byte[encodedLength(s)];
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[p++] = (byte) c;
            } else if (c < 0x800) {
                out[p++] = (byte) (0xC0 | (c >> 6));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[p++] = (byte) (0xF0 | (cp >> 18));
                out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[p++] = (byte) (0xE0 | (c >> 12));
                out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return out;
    }
}
