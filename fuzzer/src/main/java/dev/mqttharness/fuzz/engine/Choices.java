package dev.mqttharness.fuzz.engine;

import java.util.Arrays;

/**
 * A recorded choice sequence: every bounded integer a generator drew, in order. Replaying it through
 * {@link ChoiceSource#replay} rebuilds exactly the same case; the shrinker works on it directly.
 */
public final class Choices {
    public static final Choices EMPTY = new Choices(new long[0]);

    private final long[] values;

    private Choices(long[] values) {
        this.values = values;
    }

    public static Choices of(long... values) {
        return new Choices(values.clone());
    }

    static Choices wrap(long[] values) {
        return new Choices(values);
    }

    public int size() {
        return values.length;
    }

    public long get(int i) {
        return values[i];
    }

    public long[] toArray() {
        return values.clone();
    }

    /** These choices without {@code [from, to)}. */
    public Choices without(int from, int to) {
        long[] out = new long[values.length - (to - from)];
        System.arraycopy(values, 0, out, 0, from);
        System.arraycopy(values, to, out, from, values.length - to);
        return new Choices(out);
    }

    /** These choices with {@code [from, to)} set to {@code v}. */
    public Choices withRange(int from, int to, long v) {
        long[] out = values.clone();
        Arrays.fill(out, from, to, v);
        return new Choices(out);
    }

    public Choices with(int i, long v) {
        long[] out = values.clone();
        out[i] = v;
        return new Choices(out);
    }

    /** Shortlex order: shorter first, then lexicographically smaller. The shrinker only moves down. */
    public boolean simplerThan(Choices o) {
        if (values.length != o.values.length) {
            return values.length < o.values.length;
        }
        return Arrays.compare(values, o.values) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Choices && Arrays.equals(values, ((Choices) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
