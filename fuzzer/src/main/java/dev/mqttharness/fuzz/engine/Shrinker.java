package dev.mqttharness.fuzz.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Integrated shrinking on the choice sequence. Candidates are edited sequences — spans deleted
 * (whole actions dropped), blocks deleted, blocks zeroed, single values lowered toward zero — each
 * replayed through the generator, so every candidate is a well-formed case. A candidate is kept
 * when the failure still reproduces (the test says "interesting") and the choices it consumed are
 * simpler in shortlex order, so shrinking always terminates. Bounded in attempts and wall time.
 */
public final class Shrinker {

    /** One replay of a candidate: whether it still fails, and what it consumed. */
    public record Attempt(boolean interesting, Choices consumed, List<Span> spans) {
    }

    /** Runs a candidate sequence. */
    @FunctionalInterface
    public interface Test {
        Attempt run(Choices candidate);
    }

    /**
     * What shrinking achieved.
     *
     * @param choices   the simplest failing sequence found
     * @param spans     its spans
     * @param attempts  candidates replayed
     * @param accepted  candidates kept
     * @param exhausted true if the attempt or time bound stopped it before a fixed point
     */
    public record Result(Choices choices, List<Span> spans, int attempts, int accepted, boolean exhausted) {
    }

    private final Test test;
    private final int maxAttempts;
    private final long deadline;
    private final Set<Choices> tried = new HashSet<>();
    private Choices best;
    private List<Span> bestSpans;
    private int attempts;
    private int accepted;

    public Shrinker(Test test, int maxAttempts, Duration budget) {
        this.test = test;
        this.maxAttempts = maxAttempts;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    public Result shrink(Choices initial, List<Span> initialSpans) {
        best = initial;
        bestSpans = initialSpans;
        tried.add(initial);
        boolean improved = true;
        while (improved && !exhausted()) {
            improved = deleteSpans();
            improved |= deleteBlocks();
            improved |= zeroBlocks();
            improved |= lowerValues();
        }
        return new Result(best, bestSpans, attempts, accepted, exhausted());
    }

    private boolean exhausted() {
        return attempts >= maxAttempts || System.nanoTime() > deadline;
    }

    /** Replays a candidate; keeps it if it still fails and is simpler. */
    private boolean consider(Choices candidate) {
        if (exhausted() || !candidate.simplerThan(best) || !tried.add(candidate)) {
            return false;
        }
        attempts++;
        Attempt a = test.run(candidate);
        if (a.interesting() && a.consumed().simplerThan(best)) {
            best = a.consumed();
            bestSpans = a.spans();
            accepted++;
            return true;
        }
        return false;
    }

    private boolean deleteSpans() {
        boolean any = false;
        boolean again = true;
        while (again && !exhausted()) {
            again = false;
            List<Span> spans = new ArrayList<>(bestSpans);
            spans.sort(Comparator.comparingInt(Span::length).reversed().thenComparingInt(Span::start));
            Set<Long> seen = new HashSet<>();
            for (Span s : spans) {
                if (!seen.add(((long) s.start() << 32) | s.end()) || s.end() > best.size()) {
                    continue;
                }
                if (consider(best.without(s.start(), s.end()))) {
                    any = true;
                    again = true;
                    break; // spans changed: start over with the new ones
                }
                if (exhausted()) {
                    break;
                }
            }
        }
        return any;
    }

    private boolean deleteBlocks() {
        boolean any = false;
        for (int k : new int[] {8, 4, 2, 1}) {
            for (int i = best.size() - k; i >= 0 && !exhausted(); i--) {
                if (i + k <= best.size() && consider(best.without(i, i + k))) {
                    any = true;
                }
            }
        }
        return any;
    }

    private boolean zeroBlocks() {
        boolean any = false;
        for (int k : new int[] {8, 4, 2}) {
            for (int i = best.size() - k; i >= 0 && !exhausted(); i--) {
                if (i + k > best.size()) {
                    continue;
                }
                boolean allZero = true;
                for (int j = i; j < i + k; j++) {
                    allZero &= best.get(j) == 0;
                }
                if (!allZero && consider(best.withRange(i, i + k, 0))) {
                    any = true;
                }
            }
        }
        return any;
    }

    private boolean lowerValues() {
        boolean any = false;
        for (int i = 0; i < best.size() && !exhausted(); i++) {
            long v = best.get(i);
            if (v == 0) {
                continue;
            }
            if (consider(best.with(i, 0))) {
                any = true;
                continue;
            }
            // binary search for the smallest value that still fails
            long lo = 0;
            long hi = v;
            while (lo + 1 < hi && !exhausted() && i < best.size() && best.get(i) == hi) {
                long mid = lo + (hi - lo) / 2;
                if (consider(best.with(i, mid))) {
                    any = true;
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
        }
        return any;
    }
}
