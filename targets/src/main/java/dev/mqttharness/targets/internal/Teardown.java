package dev.mqttharness.targets.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Everything started and not yet stopped, closed by a shutdown hook when the JVM exits (normal exit,
 * Ctrl-C, SIGTERM), so no broker process or container outlives the harness.
 */
public final class Teardown {
    private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private Teardown() {
    }

    public static void register(AutoCloseable c) {
        hook();
        OPEN.add(c);
    }

    public static void unregister(AutoCloseable c) {
        OPEN.remove(c);
    }

    /** How many things are open; for tests. */
    public static int openCount() {
        return OPEN.size();
    }

    /** Closes everything still open, in parallel, within about 30 seconds. */
    public static void closeAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (AutoCloseable c : List.copyOf(OPEN)) {
            closing.add(CompletableFuture.runAsync(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("mqtt-harness: failed to stop " + c + ": " + e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mqtt-harness: some targets did not stop within 30 s: " + OPEN);
        }
    }

    private static synchronized void hook() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Teardown::closeAll, "mqtt-harness-teardown"));
            hooked = true;
        }
    }
}
