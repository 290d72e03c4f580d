package dev.mqttharness.fuzz.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where generators get their randomness: bounded integers drawn one at a time and recorded
 * (Hypothesis-style choice sequence). A seeded source draws at random; a replaying source hands back
 * recorded values (clamped to each draw's bound) and zeros once they run out, so any edited
 * sequence still yields a case: smaller values and fewer choices give simpler cases, which is what
 * lets the shrinker work on the sequence instead of on the case.
 *
 * <p>Generators mark the choices one logical part consumed with {@link #start} / {@link #end}
 * ({@link Span}s), so the shrinker can delete whole actions.
 */
public final class ChoiceSource {
    /** More choices than this makes a case invalid: generators are bounded well below it. */
    public static final int MAX_CHOICES = 20_000;

    /** Thrown when a case would need more than {@link #MAX_CHOICES} choices. */
    public static final class Overrun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overrun() {
            super("choice sequence overrun", null, false, false);
        }
    }

    private final long[] prefix;
    private final SplittableRandom random;
    private long[] drawn = new long[64];
    private int size;
    private final List<Span> spans = new ArrayList<>();
    private final int[] openStarts = new int[64];
    private final String[] openLabels = new String[64];
    private int depth;

    private ChoiceSource(long[] prefix, SplittableRandom random) {
        this.prefix = prefix;
        this.random = random;
    }

    /** Random draws from a seed: the same seed gives the same case. */
    public static ChoiceSource seeded(long seed) {
        return new ChoiceSource(new long[0], new SplittableRandom(seed));
    }

    /** Plays back {@code choices}; every draw after them is 0. */
    public static ChoiceSource replay(Choices choices) {
        return new ChoiceSource(choices.toArray(), null);
    }

    /** A value in {@code [0, max]}. A bound of 0 consumes no choice. */
    public long draw(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("max < 0");
        }
        if (max == 0) {
            return 0;
        }
        long v;
        if (size < prefix.length) {
            v = Math.min(prefix[size], max);
            if (v < 0) {
                v = 0;
            }
        } else if (random != null) {
            v = max == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(max + 1);
        } else {
            v = 0;
        }
        record(v);
        return v;
    }

    private void record(long v) {
        if (size >= MAX_CHOICES) {
            throw new Overrun();
        }
        if (size == drawn.length) {
            drawn = Arrays.copyOf(drawn, size * 2);
        }
        drawn[size++] = v;
    }

    /**
     * A choice whose value is fixed: it takes a position in the sequence (whatever a replayed
     * sequence holds there) and records {@code value}. Lists record a forced "no more" at their
     * maximum length, so that deleting an element leaves a terminator in place (as Hypothesis does).
     */
    public long forced(long value) {
        record(value);
        return value;
    }

    /** A value in {@code [lo, hi]}, shrinking toward {@code lo}. */
    public int between(int lo, int hi) {
        return lo + (int) draw((long) hi - lo);
    }

    /** True with the given percentage; shrinks toward false. */
    public boolean chance(int percent) {
        if (percent <= 0) {
            return false;
        }
        if (percent >= 100) {
            return true;
        }
        return draw(99) >= 100 - percent;
    }

    /** An index chosen with the given weights; shrinks toward index 0. */
    public int weighted(int... weights) {
        long total = 0;
        for (int w : weights) {
            total += w;
        }
        long v = draw(total - 1);
        for (int i = 0; i < weights.length; i++) {
            if (v < weights[i]) {
                return i;
            }
            v -= weights[i];
        }
        return weights.length - 1;
    }

    /** One of the items; shrinks toward the first. */
    @SafeVarargs
    public final <T> T pick(T... items) {
        return items[(int) draw(items.length - 1)];
    }

    public <T> T pick(List<T> items) {
        return items.get((int) draw(items.size() - 1));
    }

    /** Opens a span (one logical part of the case). */
    public void start(String label) {
        if (depth < openStarts.length) {
            openStarts[depth] = size;
            openLabels[depth] = label;
        }
        depth++;
    }

    /** Closes the innermost span. */
    public void end() {
        depth--;
        if (depth < openStarts.length && size > openStarts[depth]) {
            spans.add(new Span(openStarts[depth], size, openLabels[depth]));
        }
    }

    /** The choices drawn so far. */
    public Choices choices() {
        return Choices.wrap(Arrays.copyOf(drawn, size));
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    public int size() {
        return size;
    }
}
