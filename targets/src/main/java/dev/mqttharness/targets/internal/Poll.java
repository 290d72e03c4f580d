package dev.mqttharness.targets.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting. Conditions are polled with a growing interval (10 ms up to 250 ms); between polls
 * the wait ends early if {@code abort} completes, so a broker that dies is noticed at once.
 */
public final class Poll {
    private Poll() {
    }

    /** Polls {@code condition} until it holds (true) or {@code timeout} passes (false). */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        return until(condition, timeout, new CompletableFuture<>());
    }

    /** As {@link #until(BooleanSupplier, Duration)}, giving up early (false) when {@code abort} completes. */
    public static boolean until(BooleanSupplier condition, Duration timeout, CompletableFuture<?> abort) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interval = TimeUnit.MILLISECONDS.toNanos(10);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || abort.isDone()) {
                return false;
            }
            pause(abort, Math.min(interval, left));
            interval = Math.min(interval * 2, TimeUnit.MILLISECONDS.toNanos(250));
        }
    }

    /** Waits up to {@code nanos} for {@code event}; returns early when it completes. */
    public static void pause(CompletableFuture<?> event, long nanos) {
        try {
            event.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the interval passed, or the event completed (exceptionally)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    /** Waits up to {@code timeout} for {@code f}; true if it completed. */
    public static boolean await(CompletableFuture<?> f, Duration timeout) {
        pause(f, timeout.toNanos());
        return f.isDone();
    }
}
